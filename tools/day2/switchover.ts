import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { renderSwitchoverScript, SWITCHOVER_SCRIPT } from "../../components/redisconf/scripts/switchover";
import type { ClientCertificate } from "../../client/tlsOptions";
import type { VerifyOutputs } from "../verify/outputs";

/**
 * `npm run day2 -- switchover --to <node> --outputs <file>`: moves the primary of a deployed self-hosted
 * Sentinel or Cluster to the named node by running the rendered `redis-switchover.sh` (the same script the
 * `redis:selfhosted.switchoverTo` Job runs in the cluster) from this machine with `redis-cli`, against the
 * endpoints and credentials of the stack outputs.
 */

/** One primary move the script reported. */
export interface SwitchoverMove {
    /** The old primary; equal to `to` when nothing had to move. */
    from: string;
    to: string;
    changed: boolean;
}

/** The files the script reads, written to a private directory for one run. */
export interface SwitchoverFiles {
    passwordDir: string;
    caFile?: string;
    clientCertFile?: string;
    clientKeyFile?: string;
}

/** The users the script logs in as: `admin` on data nodes, `sentinel` on sentinels. */
export function switchoverUsers(mode: "sentinel" | "cluster"): string[] {
    return mode === "sentinel" ? ["admin", "sentinel"] : ["admin"];
}

/**
 * The script's environment for a deployment's outputs. Pure.
 *
 * @throws Error when the outputs are not those of a self-hosted Sentinel or Cluster, or lack what it needs
 */
export function switchoverEnv(outputs: Pick<VerifyOutputs, "connection" | "backend">, to: string, files: SwitchoverFiles, timeoutSeconds?: number): Record<string, string> {
    const { connection } = outputs;
    if (outputs.backend !== undefined && outputs.backend !== "selfhosted") {
        throw new Error(`backend "${outputs.backend}" manages its own failovers: a switchover applies to self-hosted Sentinel and Cluster deployments only`);
    }
    if (connection.mode === "standalone") {
        throw new Error("a standalone deployment has one node: there is nothing to switch over to");
    }
    if (connection.tls.enabled && files.caFile === undefined) {
        throw new Error("connection.tls.caCertPem is missing: the nodes' certificates cannot be checked");
    }
    const addresses = connection.endpoints.map((endpoint) => `${endpoint.host}:${endpoint.port}`).join(" ");
    return {
        REDIS_TOPOLOGY: connection.mode,
        REDIS_NODE_NAME: "switchover",
        REDIS_PASSWORD_DIR: files.passwordDir,
        REDIS_SWITCHOVER_TO: to,
        REDIS_TLS: connection.tls.enabled ? "yes" : "no",
        ...(files.caFile !== undefined ? { REDIS_TLS_CA_FILE: files.caFile } : {}),
        ...(files.clientCertFile !== undefined && files.clientKeyFile !== undefined ? { REDIS_TLS_CLIENT_CERT_FILE: files.clientCertFile, REDIS_TLS_CLIENT_KEY_FILE: files.clientKeyFile } : {}),
        ...(connection.mode === "sentinel" ? { REDIS_SENTINELS: addresses, REDIS_MASTER_NAME: connection.sentinelMasterName ?? "" } : { REDIS_CLUSTER_SEEDS: addresses }),
        ...(timeoutSeconds !== undefined ? { REDIS_SWITCHOVER_TIMEOUT: String(timeoutSeconds) } : {}),
    };
}

/** Reads the `switched <old> <new>` / `unchanged <node>` lines the script prints. Pure. */
export function parseSwitchoverOutput(stdout: string): SwitchoverMove[] {
    return stdout.split("\n").flatMap((line): SwitchoverMove[] => {
        const [verb, first, second] = line.trim().split(/\s+/);
        if (verb === "switched" && first && second) {
            return [{ from: first, to: second, changed: true }];
        }
        if (verb === "unchanged" && first) {
            return [{ from: first, to: first, changed: false }];
        }
        return [];
    });
}

/** Options of {@link runSwitchover}. */
export interface SwitchoverOptions {
    /** Receives each line the script logs. */
    progress?: (line: string) => void;
    /** The client certificate, when the nodes require mTLS (default: the outputs' `clientCertificate`). */
    clientCertificate?: ClientCertificate;
    /** Seconds each step may take (`REDIS_SWITCHOVER_TIMEOUT`). @default the script's 30 */
    timeoutSeconds?: number;
    /** More of the script's environment: `REDIS_ENGINES_ALLOWED` for an engine upgrade's pre-flight. */
    env?: Record<string, string>;
}

/**
 * Runs `redis-switchover.sh` against the deployment the outputs describe. The passwords and certificates go
 * to a private temporary directory that is removed afterwards; the script hands them to `redis-cli` through
 * `REDISCLI_AUTH` and files, never on a command line.
 *
 * @throws Error with the script's last log line when it fails
 */
export async function runSwitchover(outputs: VerifyOutputs, to: string, options: SwitchoverOptions = {}): Promise<SwitchoverMove[]> {
    const progress = options.progress ?? (() => undefined);
    const dir = mkdtempSync(path.join(tmpdir(), "redis-switchover-"));
    try {
        const passwordDir = path.join(dir, "passwords");
        const files: SwitchoverFiles = { passwordDir };
        mkdirSync(passwordDir, { mode: 0o700 });
        const mode = outputs.connection.mode;
        for (const user of mode === "standalone" ? [] : switchoverUsers(mode)) {
            const credential = outputs.credentials[user];
            if (credential === undefined) {
                throw new Error(`the outputs hold no credential for "${user}", which the switchover logs in as`);
            }
            writeFileSync(path.join(passwordDir, user), credential.password, { mode: 0o600 });
        }
        if (outputs.connection.tls.caCertPem !== undefined) {
            files.caFile = path.join(dir, "ca.pem");
            writeFileSync(files.caFile, outputs.connection.tls.caCertPem, { mode: 0o600 });
        }
        const certificate = options.clientCertificate ?? outputs.clientCertificate;
        if (certificate !== undefined) {
            files.clientCertFile = path.join(dir, "client.pem");
            files.clientKeyFile = path.join(dir, "client.key");
            writeFileSync(files.clientCertFile, certificate.certPem, { mode: 0o600 });
            writeFileSync(files.clientKeyFile, certificate.keyPem, { mode: 0o600 });
        }
        const env = { ...switchoverEnv(outputs, to, files, options.timeoutSeconds), ...options.env };
        const script = path.join(dir, SWITCHOVER_SCRIPT);
        writeFileSync(script, renderSwitchoverScript(), { mode: 0o700 });
        const { code, stdout, lastLines } = await runScript(script, env, progress);
        if (code !== 0) {
            // The last lines, not the last one: the exit trap logs its clean-up after the line that says why.
            throw new Error(`${SWITCHOVER_SCRIPT} failed: ${lastLines.join(" | ") || `exit code ${code}`}`);
        }
        return parseSwitchoverOutput(stdout);
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

function runScript(script: string, env: Record<string, string>, progress: (line: string) => void): Promise<{ code: number; stdout: string; lastLines: string[] }> {
    return new Promise((resolve, reject) => {
        const child = spawn("sh", [script], { env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", LANG: "C", ...env }, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let pending = "";
        const lastLines: string[] = [];
        const keep = (line: string) => {
            lastLines.push(line);
            lastLines.splice(0, lastLines.length - 3);
        };
        child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => {
            pending += chunk.toString();
            const lines = pending.split("\n");
            pending = lines.pop() ?? "";
            for (const line of lines.filter((text) => text.trim() !== "")) {
                keep(line);
                progress(line);
            }
        });
        child.once("error", reject);
        child.once("close", (code) => {
            if (pending.trim() !== "") {
                keep(pending);
                progress(pending);
            }
            resolve({ code: code ?? 1, stdout, lastLines });
        });
    });
}
