import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import type { EngineName } from "../../components/redisconf/engines";

/**
 * Where the engine binaries of each supported version come from, for the check that every version's rendered
 * files run on that engine: Debian's `redis-server` on `PATH` for the version it is (Redis 7.0 on bookworm), and
 * for the others a directory named by {@link ENGINE_BINARIES_ENV} holding one `<engine>-<major.minor>/bin/` per
 * version (for example `valkey-9.0/bin/valkey-server`, as `make PREFIX=<dir>/valkey-9.0 install` lays it out).
 */

/** The environment variable naming the directory of per-version engine builds. */
export const ENGINE_BINARIES_ENV = "REDIS_PLATFORM_ENGINE_BINARIES";

/** The server and sentinel binaries of one engine version. */
export interface EngineBinaries {
    /** The engine and `major.minor` version the files are rendered for. */
    engine: { name: EngineName; version: string };
    /** The server binary (absolute path, or a name on `PATH`). */
    server: string;
    /** The sentinel binary. */
    sentinel: string;
    /** What `<server> --version` printed, trimmed. */
    versionText: string;
    /** The version the binary reports (`9.0.1`; `255.255.255` for an unreleased build). */
    reportedVersion: string;
    /** Whether the reported `major.minor` is the version the files are rendered for. */
    exact: boolean;
    /** Where the binaries were found. */
    source: "path" | typeof ENGINE_BINARIES_ENV;
}

/** Why no binaries of a version could be used. */
export interface MissingEngineBinaries {
    engine: { name: EngineName; version: string };
    reason: string;
}

/**
 * The engine and version `--version` text reports, or `undefined` when it is not a Redis or Valkey server's.
 * Redis prints `Redis server v=...`, Valkey from 8.0 `Valkey server v=...`, Valkey 7.2 only `Server v=...`. Pure.
 */
export function parseServerVersion(text: string): { name: EngineName; reported: string; majorMinor: string } | undefined {
    const match = /^(?:(Redis|Valkey) )?server v=(\d+)\.(\d+)\.(\d+)/i.exec(text.trim());
    if (!match) {
        return undefined;
    }
    const name: EngineName = match[1]?.toLowerCase() === "redis" ? "redis" : "valkey";
    return { name, reported: `${match[2]}.${match[3]}.${match[4]}`, majorMinor: `${match[2]}.${match[3]}` };
}

/** The environment the start scripts take their binaries from (`REDIS_SERVER_BIN`, `REDIS_SENTINEL_BIN`). Pure. */
export function engineBinaryEnv(binaries: Pick<EngineBinaries, "server" | "sentinel">): Record<string, string> {
    return { REDIS_SERVER_BIN: binaries.server, REDIS_SENTINEL_BIN: binaries.sentinel };
}

function versionText(binary: string): string | undefined {
    try {
        return execFileSync(binary, ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 5000 }).trim();
    } catch {
        return undefined;
    }
}

/** The first of `names` that exists in `dir`. */
function firstExisting(dir: string, names: readonly string[]): string | undefined {
    return names.map((name) => path.join(dir, name)).find((file) => existsSync(file));
}

/**
 * Finds the binaries of one engine version: under `$REDIS_PLATFORM_ENGINE_BINARIES/<engine>-<version>/bin/`
 * first (`<engine>-server` and `<engine>-sentinel`, else the `redis-*` names Valkey also installs), else the
 * `redis-server` and `redis-sentinel` on `PATH` when that server is this engine and version.
 */
export function findEngineBinaries(engine: { name: EngineName; version: string }, env: NodeJS.ProcessEnv = process.env): EngineBinaries | MissingEngineBinaries {
    const root = env[ENGINE_BINARIES_ENV];
    const candidates: { server: string; sentinel: string; source: EngineBinaries["source"] }[] = [];
    if (root !== undefined && root !== "") {
        const bin = path.join(root, `${engine.name}-${engine.version}`, "bin");
        const server = firstExisting(bin, [`${engine.name}-server`, "redis-server"]);
        const sentinel = firstExisting(bin, [`${engine.name}-sentinel`, "redis-sentinel"]);
        if (server !== undefined && sentinel !== undefined) {
            candidates.push({ server, sentinel, source: ENGINE_BINARIES_ENV });
        }
    }
    candidates.push({ server: "redis-server", sentinel: "redis-sentinel", source: "path" });
    const seen: string[] = [];
    for (const candidate of candidates) {
        const text = versionText(candidate.server);
        const parsed = text === undefined ? undefined : parseServerVersion(text);
        if (text === undefined || parsed === undefined) {
            seen.push(`${candidate.server}: ${text === undefined ? "not runnable" : `unrecognised --version "${text}"`}`);
            continue;
        }
        // A build from a directory is trusted to be the version its directory names (a release candidate or an
        // unreleased snapshot reports something else, and says so in the report); PATH must match exactly.
        const exact = parsed.name === engine.name && parsed.majorMinor === engine.version;
        if (candidate.source === "path" && !exact) {
            seen.push(`${candidate.server} on PATH is ${parsed.name} ${parsed.reported}`);
            continue;
        }
        if (parsed.name !== engine.name) {
            seen.push(`${candidate.server} is ${parsed.name}, not ${engine.name}`);
            continue;
        }
        return { engine, server: candidate.server, sentinel: candidate.sentinel, versionText: text, reportedVersion: parsed.reported, exact, source: candidate.source };
    }
    const where = root ? `${path.join(root, `${engine.name}-${engine.version}`, "bin")} has no ${engine.name}-server and ${engine.name}-sentinel` : `${ENGINE_BINARIES_ENV} is not set`;
    return { engine, reason: `no ${engine.name} ${engine.version} binaries: ${where}; ${seen.join("; ")}` };
}
