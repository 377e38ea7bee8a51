import { strict as assert } from "node:assert";
import { ConfigError } from "../../stacks/config/errors";
import { schemaKeyPaths } from "../../stacks/config/keyPaths";
import { parseStackConfig } from "../../stacks/config/parse";
import { stackConfigSchema } from "../../stacks/config/schema";
import { redisProgram } from "../../stacks/program";
import { OFFLINE_INVOKES, OFFLINE_OUTPUTS } from "../../tools/offline/answers";
import { MOCK_SECRET_MARKER, runWithMocks } from "../../tools/offline/mockRuntime";
import { KEY_SAMPLES, KeySample, WALK_BASES, WalkBase } from "../support/config/keySamples";

/**
 * No config key is accepted and ignored: every key the schema accepts, set to a valid non-default value on
 * every backend, either changes what the program registers (the mock-recorded resources: types, names,
 * inputs, protection) or is refused with an error naming it.
 *
 * It runs the whole program under the mock runtime about 250 times (a minute or two of CPU), so it lives
 * with the integration tests rather than in the unit suite, which must stay within seconds.
 */

/**
 * Keys whose effect cannot show in the resource graph, each with the reason. Keyed by `<backend>:<key>`,
 * or `*:<key>` for every backend.
 */
const GRAPH_INVISIBLE: Record<string, string> = {
    "*:environment": "it sets the policy pack's levels and the checks a prod stack must pass (tests/unit/config-parse.test.ts), not resources by itself",
    "selfhosted/docker:tls.includeLocalhost": "Docker nodes announce a loopback address, so their certificates always name localhost, 127.0.0.1 and ::1: the key's effect holds there whatever its value",
    "upstash:acl.users[].name": "it names the application's entry in the credentials stack output (a secret output, not a resource); Upstash logs everybody in as its one default user",
    "upstash:upstash.allowAllIps": "it acknowledges a database open to every address, which an empty allowedIps already is; a prod stack must say so (tests/unit/upstash.test.ts)",
};

/** Whether a walked key has no leaf below it (objects are walked through their keys). */
function isLeaf(path: string, all: readonly string[]): boolean {
    return !all.some((other) => other.startsWith(`${path}.`) || other.startsWith(`${path}[]`));
}

function setPath(root: Record<string, unknown>, dotted: string, value: unknown): void {
    const segments = dotted.split(".");
    let current = root;
    for (const segment of segments.slice(0, -1)) {
        const next = current[segment];
        current[segment] = next !== null && typeof next === "object" && !Array.isArray(next) ? { ...(next as Record<string, unknown>) } : {};
        current = current[segment] as Record<string, unknown>;
    }
    const last = segments[segments.length - 1];
    if (value === undefined) {
        delete current[last];
    } else {
        current[last] = value;
    }
}

function configOf(base: WalkBase, ...layers: (Record<string, unknown> | undefined)[]): Record<string, unknown> {
    const config = structuredClone(base.config);
    for (const layer of layers) {
        for (const [path, value] of Object.entries(layer ?? {})) {
            setPath(config, path, value);
        }
    }
    return config;
}

function configMap(config: Record<string, unknown>, secrets: readonly string[], backend: string): Record<string, string> {
    return {
        ...(backend.startsWith("elasticache") ? { "aws:region": "us-east-1" } : {}),
        ...Object.fromEntries(Object.entries(config).map(([key, value]) => [`redis:${key}`, typeof value === "string" ? value : JSON.stringify(value)])),
        // Letters and digits only, so it passes as a PagerDuty integration key too.
        ...Object.fromEntries(secrets.map((key) => [`redis:${key}`, `${MOCK_SECRET_MARKER.replace(/[^A-Za-z0-9]/g, "")}${key}`])),
    };
}

/** Certificates shaped as PEM, as a CA rollover bundles them (the default mock text is not PEM). */
const pemOf = (name: string) => ({ certPem: `-----BEGIN CERTIFICATE-----\n${Buffer.from(name).toString("base64")}\n-----END CERTIFICATE-----\n` });
const PEM_OUTPUTS = { "tls:index/selfSignedCert:SelfSignedCert": pemOf, "tls:index/locallySignedCert:LocallySignedCert": pemOf };

/** What a config does: refused (the problem keys, as paths), or the resources it registers, as text. */
type Outcome = { refused: string[] } | { graph: string } | { failed: string };

async function outcomeOf(map: Record<string, string>, secrets: readonly string[]): Promise<Outcome> {
    try {
        parseStackConfig("walk", map);
    } catch (error) {
        if (error instanceof ConfigError) {
            return { refused: error.problems.map((problem) => problem.key.replace(/^redis:/, "").replace(/\[\d+\]/g, "[]")) };
        }
        return { failed: String(error) };
    }
    const run = await runWithMocks(() => redisProgram("walk", map), {
        stack: "walk",
        config: map,
        secretKeys: secrets.map((key) => `redis:${key}`),
        invokes: OFFLINE_INVOKES,
        outputs: { ...OFFLINE_OUTPUTS, ...PEM_OUTPUTS },
    });
    if (run.error !== undefined) {
        return { failed: String(run.error) };
    }
    const resources = run.resources.map((resource) => ({ type: resource.type, name: resource.name, inputs: resource.inputs, protect: resource.protect, secret: resource.secretInputs }));
    resources.sort((a, b) => `${a.type} ${a.name}`.localeCompare(`${b.type} ${b.name}`));
    return { graph: JSON.stringify(resources) };
}

/** Whether a refusal names the key: its own path, one of the paths the sample sets, or a section holding them. */
function names(problemKey: string, key: string, sample: KeySample): boolean {
    return [key, ...Object.keys(sample.set)].some((path) => path === problemKey || path.startsWith(`${problemKey}.`) || path.startsWith(`${problemKey}[]`));
}

describe("every config key does something on every backend, or is refused", function () {
    this.timeout(900_000);
    // Pulumi's debuggable promises capture a stack trace per Output: without them a run costs half as much.
    let stackTraceLimit: number;
    before(() => {
        stackTraceLimit = Error.stackTraceLimit;
        Error.stackTraceLimit = 0;
    });
    after(() => {
        Error.stackTraceLimit = stackTraceLimit;
    });
    const keys = schemaKeyPaths(stackConfigSchema);
    const leaves = keys.filter((key) => isLeaf(key, keys));

    it("has a sample value for every leaf key, and no sample for a key the schema lacks", () => {
        assert.deepEqual(leaves.filter((key) => KEY_SAMPLES[key] === undefined), [], "leaf keys without a sample in tests/support/config/keySamples.ts");
        assert.deepEqual(Object.keys(KEY_SAMPLES).filter((key) => !leaves.includes(key)), [], "samples of keys the schema does not accept");
    });

    for (const [backend, base] of Object.entries(WALK_BASES)) {
        it(`${backend}: each key changes the resources or is refused naming it`, async () => {
            const baselines = new Map<string, Outcome>();
            const problems: string[] = [];
            for (const key of leaves) {
                const entry = KEY_SAMPLES[key];
                const sample = typeof entry === "function" ? entry(backend) : entry;
                const contextMap = configMap(configOf(base, sample.context), base.secrets, backend);
                const contextText = JSON.stringify(contextMap);
                if (!baselines.has(contextText)) {
                    baselines.set(contextText, await outcomeOf(contextMap, base.secrets));
                }
                const baseline = baselines.get(contextText)!;
                const secrets = [...base.secrets, ...(sample.secrets ?? [])];
                const tried = await outcomeOf(configMap(configOf(base, sample.context, sample.set), secrets, backend), secrets);
                if ("refused" in tried) {
                    if (!tried.refused.some((problemKey) => names(problemKey, key, sample))) {
                        problems.push(`${key}: refused, but for other keys (${tried.refused.join(", ")}): fix the sample`);
                    }
                } else if ("failed" in tried) {
                    problems.push(`${key}: the program failed: ${tried.failed}`);
                } else if (!("graph" in baseline)) {
                    problems.push(`${key}: its baseline (context ${JSON.stringify(sample.context)}) does not build: ${JSON.stringify(baseline)}`);
                } else if (baseline.graph === tried.graph && GRAPH_INVISIBLE[`${backend}:${key}`] === undefined && GRAPH_INVISIBLE[`*:${key}`] === undefined) {
                    problems.push(`${key}: accepted and ignored (${JSON.stringify(sample.set)} changes no resource)`);
                }
            }
            assert.deepEqual(problems, []);
        });
    }
});
