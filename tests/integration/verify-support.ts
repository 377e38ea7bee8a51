import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import type { LocalDeployment } from "../../tools/harness/localDeployment";
import { localStackOutputs, LocalStackOutputs } from "../../tools/harness/stackOutputs";
import { parseStackOutputs } from "../../tools/verify/outputs";
import type { CheckResult } from "../../tools/verify/report";
import { runVerify } from "../../tools/verify/run";

/** Options every verify test uses: a p99 ceiling no machine misses, so no test depends on timing. */
export const UNTIMED = { latencySamples: 50, maxP99Ms: 60000, minCertDays: 1 } as const;

/** Runs the checks in-process on a run's outputs. */
export async function verifyRun(deployment: LocalDeployment, outputs: LocalStackOutputs = localStackOutputs(deployment)): Promise<CheckResult[]> {
    return runVerify(parseStackOutputs(JSON.stringify(outputs)), UNTIMED);
}

/** The rows that failed, as `check target: detail` lines, for assertion messages. */
export function failures(results: readonly CheckResult[]): string[] {
    return results.filter((result) => result.status === "fail").map((result) => `${result.check} ${result.target}: ${result.detail}`);
}

/** Writes the outputs to a 0600 file in the run directory and runs `tools/verify.ts` on it. */
export function verifyCli(deployment: LocalDeployment, outputs: LocalStackOutputs, extra: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
    const file = path.join(deployment.root, `outputs-${Date.now()}.json`);
    writeFileSync(file, JSON.stringify(outputs), { mode: 0o600 });
    const root = path.resolve(__dirname, "../..");
    const args = ["--import", "tsx", path.join(root, "tools/verify.ts"), "--outputs", file, "--samples", "20", "--max-p99-ms", "60000", "--min-cert-days", "1", ...extra];
    return new Promise((resolve) => {
        execFile(process.execPath, args, { cwd: root, encoding: "utf8" }, (error, stdout, stderr) => {
            resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
        });
    });
}

/** Every password and the URL of the outputs, to assert none is printed. */
export function secretsOf(outputs: LocalStackOutputs): string[] {
    return [...Object.values(outputs.credentials).map((credential) => credential.password), outputs.url];
}
