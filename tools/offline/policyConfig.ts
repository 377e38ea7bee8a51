import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import type { EnforcementLevel, PolicyPackConfig, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { PROJECT_ROOT } from "../../stacks/config/stackFile";

/** A policy of the pack, either kind. */
export type AnyPolicy = ResourceValidationPolicy | StackValidationPolicy;

/** How one policy runs for a stack: its enforcement level and its config (defaults under overrides). */
export interface PolicySetting {
    level: EnforcementLevel;
    config: Record<string, unknown>;
}

const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** The path of a stack's policy config file, `policies/config.<stack>.json`. */
export function policyConfigPath(stack: string, root: string = PROJECT_ROOT): string {
    return path.join(root, "policies", `config.${stack}.json`);
}

/** Reads a stack's policy config file; a stack without one runs the pack as written. */
export function readPolicyConfig(stack: string, root: string = PROJECT_ROOT): PolicyPackConfig {
    const file = policyConfigPath(stack, root);
    return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as PolicyPackConfig) : {};
}

function checkLevel(where: string, level: unknown): EnforcementLevel {
    if (!LEVELS.includes(level as EnforcementLevel)) {
        throw new Error(`policy config ${where}: enforcement level ${JSON.stringify(level)} is not one of ${LEVELS.join(", ")}`);
    }
    return level as EnforcementLevel;
}

/**
 * Applies a policy pack config the way `pulumi preview --policy-pack-config` does: `all` sets every level,
 * a policy's own entry (a level, or an object with `enforcementLevel` and config properties) overrides it,
 * and config properties fall back to the schema defaults. Unknown policy names and properties are errors,
 * so a typo never silently leaves a rule at its default.
 */
export function resolvePolicySettings(policies: readonly AnyPolicy[], packConfig: PolicyPackConfig): Map<string, PolicySetting> {
    const names = new Set(policies.map((policy) => policy.name));
    for (const key of Object.keys(packConfig)) {
        if (key !== "all" && !names.has(key)) {
            throw new Error(`policy config names an unknown policy "${key}"`);
        }
    }
    const all = packConfig.all === undefined ? undefined : checkLevel("all", typeof packConfig.all === "string" ? packConfig.all : packConfig.all.enforcementLevel);
    const settings = new Map<string, PolicySetting>();
    for (const policy of policies) {
        const entry = packConfig[policy.name];
        const defaults = Object.fromEntries(Object.entries(policy.configSchema?.properties ?? {}).map(([key, schema]) => [key, (schema as { default?: unknown }).default]));
        let level: EnforcementLevel = all ?? policy.enforcementLevel ?? "advisory";
        let overrides: Record<string, unknown> = {};
        if (typeof entry === "string") {
            level = checkLevel(policy.name, entry);
        } else if (entry !== undefined) {
            const { enforcementLevel, ...rest } = entry;
            if (enforcementLevel !== undefined) {
                level = checkLevel(policy.name, enforcementLevel);
            }
            for (const key of Object.keys(rest)) {
                if (!(key in defaults)) {
                    throw new Error(`policy config for "${policy.name}" sets unknown property "${key}"`);
                }
            }
            overrides = rest;
        }
        settings.set(policy.name, { level, config: { ...defaults, ...overrides } });
    }
    return settings;
}
