import { SUPPORTED_ENGINE_VERSIONS } from "../components/redisconf/engines";
import { CliError, CliMain, cliMain, CliSpec, JSON_FLAG } from "./cli";
import { ENGINE_BINARIES_ENV } from "./harness/engineBinaries";
import { checkEngine, EngineCheckResult, locateEngines, supportedSelfHostedEngines } from "./harness/engineCheck";

/** `npm run engine-check`: see {@link ENGINE_CHECK_SPEC}. */
export const ENGINE_CHECK_SPEC: CliSpec = {
    name: "engine-check",
    summary: "start the files the renderers produce for each supported self-hosted engine version on that engine's own binaries, and say which versions could not be checked",
    usage: ["[--engine redis|valkey] [--version <major.minor>] [--require-all] [--json]"],
    details: [
        `Binaries: Debian's redis-server on PATH for its own version; for the others $${ENGINE_BINARIES_ENV}/<engine>-<major.minor>/bin/`,
        "(<engine>-server and <engine>-sentinel, as `make PREFIX=... install` lays them out). Each version runs a standalone",
        "(mTLS, AOF, threaded I/O), a sentinel, a cluster and a plaintext deployment with the rendered start scripts, then",
        "reads every redis.conf directive back with CONFIG GET and checks an application user's access.",
    ].join("\n"),
    flags: {
        engine: { type: "string", value: "<redis|valkey>", description: "only this engine (default both)" },
        version: { type: "string", value: "<major.minor>", description: "only this version (needs --engine)" },
        "require-all": { type: "boolean", description: "fail (exit 1) when a version could not be checked for lack of binaries" },
        json: { ...JSON_FLAG, description: "print only the results as JSON on stdout, with status passed|failed" },
    },
    ports: "random free loopback ports (never 6379): up to 9 server and sentinel processes at a time",
    duration: "about 20-40 s per engine version found",
    exitCodes: { 1: "a version's files were refused (or, with --require-all, a version could not be checked)" },
};

/** One line per version for people. Pure. */
export function formatEngineCheck(results: readonly EngineCheckResult[]): string {
    return results
        .map((result) => {
            const head = `${result.engine.name} ${result.engine.version}: ${result.status}`;
            if (result.status === "unchecked") {
                return `${head} (${result.reason})`;
            }
            const binary = `${result.binary.server} reports ${result.binary.reportedVersion}${result.binary.exact ? "" : ", NOT this version"}`;
            const variants = result.variants.map((variant) => `  ${variant.status === "accepted" ? "ok " : "NO "} ${variant.variant}${variant.detail ? `: ${variant.detail}` : ""}`);
            return [`${head} by ${binary}`, ...variants].join("\n");
        })
        .join("\n");
}

const main: CliMain = async ({ values }, io) => {
    const engine = values.engine as string | undefined;
    const version = values.version as string | undefined;
    if (engine !== undefined && engine !== "redis" && engine !== "valkey") {
        throw new CliError(`--engine ${engine}: must be one of redis, valkey`);
    }
    if (version !== undefined) {
        if (engine === undefined) {
            throw new CliError("--version needs --engine");
        }
        const allowed = SUPPORTED_ENGINE_VERSIONS.selfhosted[engine];
        if (!allowed.includes(version)) {
            throw new CliError(`--version ${version}: ${engine} versions supported self-hosted are ${allowed.join(", ")}`);
        }
    }
    const wanted = supportedSelfHostedEngines().filter((e) => (engine === undefined || e.name === engine) && (version === undefined || e.version === version));
    const { found, missing } = locateEngines(wanted);
    const results: EngineCheckResult[] = [];
    for (const binaries of found) {
        results.push(await checkEngine(binaries, (message) => io.stderr(`${message}\n`)));
    }
    for (const gap of missing) {
        results.push({ engine: gap.engine, status: "unchecked", reason: gap.reason });
    }
    const failed = results.some((result) => result.status === "refused") || (values["require-all"] === true && missing.length > 0);
    if (values.json === true) {
        io.stdout(`${JSON.stringify({ status: failed ? "failed" : "passed", results })}\n`);
    } else {
        io.stdout(`${formatEngineCheck(results)}\n`);
    }
    return failed ? 1 : 0;
};

/** Runs `npm run engine-check` (exported for the CLI test table). */
export const engineCheckMain = main;

if (require.main === module) {
    cliMain(ENGINE_CHECK_SPEC, main);
}
