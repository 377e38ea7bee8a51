import { execFile } from "node:child_process";
import { appendFileSync, mkdirSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import type { LocalDeployment } from "../harness/localDeployment";

const run = promisify(execFile);

/**
 * Runs `redis-cli --cluster <args>` over TLS as `admin`, the way the scaling runbook does: the password in
 * `REDISCLI_AUTH`, never on the command line. Asynchronous, so the client load keeps running meanwhile. The
 * output goes to `day2/redis-cli-cluster.log` in the run directory.
 *
 * @returns redis-cli's standard output
 * @throws Error with the end of the output when redis-cli fails
 */
export async function redisCliCluster(deployment: LocalDeployment, adminPassword: string, args: string[]): Promise<string> {
    const { certs } = deployment;
    const tls = deployment.clientTls().enabled ? ["--tls", "--cacert", certs.caFile, "--cert", certs.clientCertFile, "--key", certs.clientKeyFile] : [];
    const dir = path.join(deployment.root, "day2");
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const log = path.join(dir, "redis-cli-cluster.log");
    appendFileSync(log, `\n$ redis-cli --cluster ${args.join(" ")}\n`);
    try {
        const { stdout, stderr } = await run("redis-cli", [...tls, "--user", "admin", "--cluster", ...args], {
            env: { ...process.env, REDISCLI_AUTH: adminPassword },
            timeout: 180000,
            maxBuffer: 16 * 1024 * 1024,
        });
        appendFileSync(log, stdout + stderr);
        return stdout;
    } catch (error) {
        const output = error as { stdout?: string; stderr?: string; message: string };
        appendFileSync(log, `${output.stdout ?? ""}${output.stderr ?? ""}`);
        const tail = `${output.stdout ?? ""}${output.stderr ?? ""}`.trim().split("\n").slice(-3).join(" | ");
        throw new Error(`redis-cli --cluster ${args[0]} failed: ${tail || output.message}`);
    }
}
