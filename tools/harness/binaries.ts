import { execFileSync } from "node:child_process";
import type { EngineName } from "../../components/redisconf/engines";

/** The Debian packages that provide the binaries the harness runs. */
export const REDIS_DEBIAN_PACKAGES = "redis-server redis-sentinel redis-tools";

/** The binaries the harness needs. */
export const REQUIRED_BINARIES = ["redis-server", "redis-sentinel", "redis-cli", "openssl", "sh"] as const;

function versionOf(binary: string, searchPath?: string): string | undefined {
    try {
        const env = searchPath === undefined ? process.env : { ...process.env, PATH: searchPath };
        return execFileSync(binary, [binary === "openssl" ? "version" : "--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env });
    } catch {
        return undefined;
    }
}

/**
 * Checks that every binary the harness runs is installed.
 *
 * @param searchPath the `PATH` to search. @default the process's own
 * @throws Error naming what is missing and the Debian packages to install; tests let it fail them, so a
 *   machine without Redis can never pass the integration suite by skipping it.
 */
export function assertRedisBinaries(searchPath?: string): void {
    const missing = REQUIRED_BINARIES.filter((binary) => binary !== "sh" && versionOf(binary, searchPath) === undefined);
    if (missing.length > 0) {
        throw new Error(
            `the integration harness needs ${missing.join(", ")}, which ${missing.length === 1 ? "is" : "are"} not installed: ` +
                `run sudo apt-get install -y ${REDIS_DEBIAN_PACKAGES} openssl (Debian/Ubuntu)`,
        );
    }
}

/** The engine and `major.minor` version of the installed `redis-server`, which the harness renders for. */
export function installedEngine(): { name: EngineName; version: string } {
    assertRedisBinaries();
    const text = versionOf("redis-server") ?? "";
    const match = /v=(\d+)\.(\d+)/.exec(text);
    if (!match) {
        throw new Error(`cannot read the version of redis-server from: ${text.trim()}`);
    }
    return { name: /valkey/i.test(text) ? "valkey" : "redis", version: `${match[1]}.${match[2]}` };
}
