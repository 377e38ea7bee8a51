import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { EngineName, engineHas, SUPPORTED_ENGINE_VERSIONS } from "../../components/redisconf/engines";
import { asDeploymentConfig, LocalConfigOptions, localStackConfig } from "./config";
import { EngineBinaries, findEngineBinaries, MissingEngineBinaries } from "./engineBinaries";
import { LocalDeployment } from "./localDeployment";

/**
 * Proves each supported engine version runs the files the renderers produce for it: for every version whose
 * binaries are found (see `engineBinaries.ts`), each variant below is rendered for that version and started as
 * a whole local deployment with the rendered start scripts (TLS, the ACL file, sentinels, a formed cluster),
 * then every directive of every `redis.conf` is read back with `CONFIG GET`, so a directive the engine accepts
 * but no longer keeps (a deprecated no-op) fails as surely as one it refuses.
 */

/** One rendered configuration the check starts. */
export interface EngineCheckVariant {
    name: string;
    options: LocalConfigOptions;
}

/** The variants every version is checked with: each topology, TLS with and without client certificates, plaintext, each persistence mode, threaded I/O. */
export const ENGINE_CHECK_VARIANTS: readonly EngineCheckVariant[] = [
    { name: "standalone, mTLS, AOF everysec, 4 CPUs", options: { topology: "standalone", mtls: true, profile: "session", cpu: "4" } },
    { name: "sentinel, TLS, RDB, fast failover", options: { topology: "sentinel", profile: "cache", failover: "fast" } },
    { name: "cluster 3x1, TLS, AOF always, 4 CPUs", options: { topology: "cluster", profile: "durable", cpu: "4" } },
    { name: "standalone, plaintext, no persistence", options: { topology: "standalone", tls: false, profile: "cache", persistence: "none" } },
];

/** What one variant did on one engine version. */
export interface VariantOutcome {
    variant: string;
    status: "accepted" | "refused";
    /** Why it was refused: the engine's own words where its log has them. */
    detail?: string;
}

/** What the check found for one engine version. */
export type EngineCheckResult =
    | { engine: { name: EngineName; version: string }; status: "unchecked"; reason: string }
    | {
          engine: { name: EngineName; version: string };
          status: "accepted" | "refused";
          binary: { server: string; sentinel: string; versionText: string; reportedVersion: string; exact: boolean; source: string };
          variants: VariantOutcome[];
      };

/** The directive names of a rendered `redis.conf`, in order, once each. Pure. */
export function directiveNames(conf: string): string[] {
    const names = conf
        .split("\n")
        .map((line) => line.trim())
        .filter((line) => line !== "" && !line.startsWith("#"))
        .map((line) => line.split(/\s+/)[0].toLowerCase());
    return [...new Set(names)];
}

/** The lines of the nodes' logs that say why a process refused its config (Redis and Valkey print `*** FATAL CONFIG FILE ERROR`). */
function configErrorsIn(root: string): string[] {
    const nodesDir = path.join(root, "nodes");
    const found: string[] = [];
    let nodes: string[] = [];
    try {
        nodes = readdirSync(nodesDir);
    } catch {
        return found;
    }
    for (const node of nodes) {
        let log = "";
        try {
            log = readFileSync(path.join(nodesDir, node, "log.txt"), "utf8");
        } catch {
            continue;
        }
        const lines = log.split("\n");
        const at = lines.findIndex((line) => /FATAL CONFIG FILE ERROR|Bad directive|Error in user declaration/i.test(line));
        if (at !== -1) {
            found.push(`${node}: ${lines.slice(at, at + 4).map((line) => line.trim()).filter((line) => line !== "").join(" | ")}`);
        }
    }
    return found;
}

/** Directives of the data nodes' configs that `CONFIG GET` does not return, as `node: name`. */
async function unknownDirectives(deployment: LocalDeployment): Promise<string[]> {
    const missing: string[] = [];
    for (const name of deployment.dataNodeNames) {
        const conf = deployment.node(name).config;
        // One connection per node: a TLS handshake per directive would cost more than the check.
        const client = deployment.client(name, "admin");
        await client.connect();
        try {
            for (const directive of directiveNames(conf)) {
                const reply = await client.call("CONFIG", "GET", directive);
                if (!Array.isArray(reply) || reply.length < 2) {
                    missing.push(`${name}: ${directive}`);
                }
            }
        } finally {
            client.disconnect();
        }
    }
    return missing;
}

/** What an application user can do through the rendered ACLs: log in to a data node; ask a sentinel for the primary, by every name the engine has. */
async function applicationAccessProblems(deployment: LocalDeployment, engine: { name: EngineName; version: string }): Promise<string[]> {
    const problems: string[] = [];
    const attempt = async (what: string, run: () => Promise<unknown>) => {
        try {
            await run();
        } catch (error) {
            problems.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
        }
    };
    await attempt("app PING on a data node", () => deployment.command(deployment.dataNodeNames[0], "app", ["PING"]));
    const sentinel = deployment.sentinelNames[0];
    const master = deployment.rendered.topology.masterName;
    if (sentinel !== undefined && master !== undefined) {
        const subcommands = ["GET-MASTER-ADDR-BY-NAME", ...(engineHas(engine, "sentinelPrimarySubcommands") ? ["GET-PRIMARY-ADDR-BY-NAME"] : [])];
        for (const subcommand of subcommands) {
            await attempt(`app SENTINEL ${subcommand}`, () => deployment.command(sentinel, "app", ["SENTINEL", subcommand, master]));
        }
    }
    return problems;
}

async function checkVariant(binaries: EngineBinaries, variant: EngineCheckVariant, progress: (message: string) => void, healthTimeoutMs: number): Promise<VariantOutcome> {
    const base = mkdtempSync(path.join(tmpdir(), "engine-check-"));
    let deployment: LocalDeployment | undefined;
    try {
        progress(`${binaries.engine.name} ${binaries.engine.version}: ${variant.name}`);
        try {
            deployment = await LocalDeployment.start({ config: asDeploymentConfig(localStackConfig(variant.options)), engineBinaries: binaries, baseDir: base, keepDir: true, startTimeoutSeconds: 20, healthTimeoutMs });
        } catch (error) {
            const run = readdirSync(base).map((entry) => path.join(base, entry))[0];
            const engineSaid = run === undefined ? [] : configErrorsIn(run);
            const message = error instanceof Error ? error.message : String(error);
            return { variant: variant.name, status: "refused", detail: engineSaid.length > 0 ? engineSaid.join("; ") : message };
        }
        const problems = [...(await unknownDirectives(deployment)).map((entry) => `not kept by CONFIG GET: ${entry}`), ...(await applicationAccessProblems(deployment, binaries.engine))];
        return problems.length === 0 ? { variant: variant.name, status: "accepted" } : { variant: variant.name, status: "refused", detail: problems.join("; ") };
    } finally {
        await deployment?.destroy();
        rmSync(base, { recursive: true, force: true });
    }
}

/** Runs every variant on one engine version's binaries; a variant not healthy within `healthTimeoutMs` is refused. */
export async function checkEngine(
    binaries: EngineBinaries,
    progress: (message: string) => void = () => undefined,
    variants: readonly EngineCheckVariant[] = ENGINE_CHECK_VARIANTS,
    healthTimeoutMs = 60000,
): Promise<EngineCheckResult> {
    const outcomes: VariantOutcome[] = [];
    for (const variant of variants) {
        outcomes.push(await checkVariant(binaries, variant, progress, healthTimeoutMs));
    }
    const { engine, server, sentinel, versionText, reportedVersion, exact, source } = binaries;
    return {
        engine,
        status: outcomes.every((outcome) => outcome.status === "accepted") ? "accepted" : "refused",
        binary: { server, sentinel, versionText, reportedVersion, exact, source },
        variants: outcomes,
    };
}

/** Every supported self-hosted engine version, oldest first per engine (Redis, then Valkey). */
export function supportedSelfHostedEngines(): { name: EngineName; version: string }[] {
    return (["redis", "valkey"] as const).flatMap((name) => SUPPORTED_ENGINE_VERSIONS.selfhosted[name].map((version) => ({ name, version })));
}

/** Finds the binaries of each engine version: the found ones, and the others with the reason. */
export function locateEngines(engines: readonly { name: EngineName; version: string }[], env: NodeJS.ProcessEnv = process.env): { found: EngineBinaries[]; missing: MissingEngineBinaries[] } {
    const found: EngineBinaries[] = [];
    const missing: MissingEngineBinaries[] = [];
    for (const engine of engines) {
        const located = findEngineBinaries(engine, env);
        if ("reason" in located) {
            missing.push(located);
        } else {
            found.push(located);
        }
    }
    return { found, missing };
}
