import { isDeepStrictEqual } from "node:util";
import { redisProgram } from "../../stacks/program";
import { readStackFile } from "../../stacks/config/stackFile";
import { OFFLINE_INVOKES, OFFLINE_OUTPUTS, offlineConfig } from "../offline/answers";
import { RecordedResource, resolveOutputs, ResolvedOutput, runWithMocks } from "../offline/mockRuntime";
import { REAL_MATERIAL_OUTPUTS } from "./realMaterial";
import { VERSION_EXACT_ENGINE } from "./standins";

/** A stack's program run under the mock runtime with real key material: what the applier applies. */
export interface DockerPlan {
    stack: string;
    resources: RecordedResource[];
    outputs: Record<string, ResolvedOutput>;
    /** The key material and passwords generated for this run, by `<type>::<name>`, with the inputs they were made from. */
    material: Map<string, { inputs: Record<string, any>; outputs: Record<string, any> }>;
}

/** A variant of a stack file: the same config with some `redis:selfhosted` keys replaced. */
export interface StackVariant {
    /** The stack file the config comes from. */
    from: string;
    /** The stack name the variant runs as (Docker object names start with `redis-<stack>`). */
    stack: string;
    /** Top-level `redis:selfhosted` keys to replace, removed when `undefined`. */
    selfhosted?: Record<string, unknown>;
    /** Other `redis:<key>` values to replace (objects as plain values). */
    config?: Record<string, unknown>;
}

/** The config of a variant: the stack file's, with the replaced keys. Pure. */
export function variantConfig(file: Readonly<Record<string, string>>, variant: StackVariant): Record<string, string> {
    const config = { ...file };
    if (variant.selfhosted !== undefined) {
        const selfhosted = JSON.parse(config["redis:selfhosted"] ?? "{}") as Record<string, unknown>;
        for (const [key, value] of Object.entries(variant.selfhosted)) {
            if (value === undefined) {
                delete selfhosted[key];
            } else {
                selfhosted[key] = value;
            }
        }
        config["redis:selfhosted"] = JSON.stringify(selfhosted);
    }
    for (const [key, value] of Object.entries(variant.config ?? {})) {
        config[`redis:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return config;
}

/**
 * The dev stack's cluster variant: `Pulumi.dev.yaml` with `topology: cluster` (3 shards x 1 replica) on its own
 * ports, as `dev-cluster`, on Redis 7.0, the version the Debian stand-in image really carries (the 7.2 config
 * of a cluster node has directives 7.0 refuses). Monitoring and backup are off: the sentinel run proves them
 * on the engine, and the cluster run stays short.
 */
export const DEV_CLUSTER_VARIANT: StackVariant = {
    from: "dev",
    stack: "dev-cluster",
    selfhosted: { topology: "cluster", replicas: undefined, sentinels: undefined, shards: 3, replicasPerShard: 1, docker: { publishAddress: "127.0.0.1", basePort: 7500 } },
    config: { engine: VERSION_EXACT_ENGINE, monitoring: { enabled: false }, backup: { enabled: false } },
};

/**
 * Runs the real program of a stack (or a variant of one) under the mock runtime, with real TLS material and
 * passwords generated for this run (or, after `previous`, kept from it for every key, certificate and password
 * whose inputs did not change, as the Pulumi state keeps them), and returns every registration with its inputs and the stack outputs.
 *
 * @throws Error when the program fails
 */
export async function dockerPlan(stackOrVariant: string | StackVariant, previous?: DockerPlan): Promise<DockerPlan> {
    const variant: StackVariant = typeof stackOrVariant === "string" ? { from: stackOrVariant, stack: stackOrVariant } : stackOrVariant;
    const file = readStackFile(variant.from);
    const { config, secretKeys } = offlineConfig(file, variantConfig(file.config, variant));
    const material: DockerPlan["material"] = new Map();
    const run = await runWithMocks(() => redisProgram(variant.stack, config), {
        stack: variant.stack,
        config,
        secretKeys,
        invokes: OFFLINE_INVOKES,
        outputs: { ...OFFLINE_OUTPUTS, ...materialOutputs(material, previous?.material) },
    });
    if (run.error !== undefined) {
        throw run.error instanceof Error ? run.error : new Error(String(run.error));
    }
    const outputs = run.result ? await resolveOutputs(run.result as unknown as Record<string, unknown>) : {};
    return { stack: variant.stack, resources: run.resources, outputs, material };
}

/** Real key material and passwords, recorded in `material`; taken from `previous` when the inputs are unchanged. */
function materialOutputs(material: DockerPlan["material"], previous: DockerPlan["material"] | undefined): typeof REAL_MATERIAL_OUTPUTS {
    return Object.fromEntries(
        Object.entries(REAL_MATERIAL_OUTPUTS).map(([type, make]) => [
            type,
            (name: string, inputs: Record<string, any>) => {
                const key = `${type}::${name}`;
                const before = previous?.get(key);
                const outputs = before !== undefined && isDeepStrictEqual(before.inputs, inputs) ? before.outputs : make(name, inputs);
                material.set(key, { inputs, outputs });
                return outputs;
            },
        ]),
    );
}
