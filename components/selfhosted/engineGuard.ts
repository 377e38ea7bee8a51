import * as pulumi from "@pulumi/pulumi";
import type { EngineName } from "../redisconf/engines";
// Imported at the top: Pulumi serializes the provider with the functions it captures from local modules.
import { engineLabel, engineUpgradePlan } from "../redisconf/engineUpgrade";

/**
 * Pulumi config has no memory of what is deployed; this resource is that memory for the engine. Its state
 * holds the engine the last successful `pulumi up` deployed, and its provider's `check` sees that state
 * (`olds`) beside the config's engine (`news`) at preview time, so a downgrade or an upgrade the engines do
 * not support fails `pulumi preview` and `pulumi up` before any node is touched. The data nodes depend on
 * it. A deployment changed behind Pulumi's back is caught by the in-cluster pre-flight instead (the engine
 * upgrade Job reads `INFO server` from every live node).
 */

/** The guard's inputs and outputs. */
export interface EngineGuardState {
    name: EngineName;
    version: string;
}

/**
 * Why moving from `olds` to `news` is refused, as check failures; none on the first deployment (no `olds`).
 * Pure; the rules are `engineUpgradePlan`'s.
 */
export function engineGuardFailures(olds: Partial<EngineGuardState> | undefined, news: EngineGuardState): pulumi.dynamic.CheckFailure[] {
    if (olds?.name === undefined || olds.version === undefined) {
        return [];
    }
    const plan = engineUpgradePlan({ name: olds.name, version: olds.version }, news);
    return plan.kind === "refused" ? [{ property: "version", reason: `redis:engine ${engineLabel(olds as EngineGuardState)} -> ${engineLabel(news)}: ${plan.reason}` }] : [];
}

/** The guard's provider: `check` refuses, `diff` reports a change of engine, create and update keep the inputs. */
export const engineGuardProvider: pulumi.dynamic.ResourceProvider<EngineGuardState, EngineGuardState> = {
    async check(olds, news) {
        return { inputs: news, failures: engineGuardFailures(olds, news) };
    },
    async diff(_id, olds, news) {
        return { changes: olds.name !== news.name || olds.version !== news.version };
    },
    async create(inputs) {
        return { id: "engine", outs: inputs };
    },
    async update(_id, _olds, news) {
        return { outs: news };
    },
};

/** The deployed engine, remembered between `pulumi up`s; see the module comment. */
export class EngineVersionGuard extends pulumi.dynamic.Resource {
    /** The engine name this guard last accepted. */
    public readonly name!: pulumi.Output<string>;
    /** The engine version this guard last accepted. */
    public readonly version!: pulumi.Output<string>;

    constructor(name: string, engine: EngineGuardState, opts?: pulumi.CustomResourceOptions) {
        super(engineGuardProvider, name, { name: engine.name, version: engine.version }, opts, "redisplatform", "EngineVersionGuard");
    }
}
