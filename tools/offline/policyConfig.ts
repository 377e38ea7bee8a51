import { existsSync, readdirSync, readFileSync } from "node:fs";
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

/** The path of an environment's default policy config, `policies/environments/<environment>.json`. */
export function environmentConfigPath(environment: string, root: string = PROJECT_ROOT): string {
    return path.join(root, "policies", "environments", `${environment}.json`);
}

/** The environments that have default policy levels. */
export function knownEnvironments(root: string = PROJECT_ROOT): string[] {
    const directory = path.join(root, "policies", "environments");
    return existsSync(directory) ? readdirSync(directory).filter((file) => file.endsWith(".json")).map((file) => file.slice(0, -".json".length)).sort() : [];
}

function readJson(file: string): PolicyPackConfig {
    try {
        return JSON.parse(readFileSync(file, "utf8")) as PolicyPackConfig;
    } catch (error) {
        throw new Error(`policy config ${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
}

/** Which policy config a run used, so the report can say so. */
export type PolicyConfigSource =
    | { kind: "file"; path: string }
    | { kind: "environment"; environment: string; path: string }
    | { kind: "pack" };

/** A chosen policy config and where it came from. */
export interface ChosenPolicyConfig {
    config: PolicyPackConfig;
    source: PolicyConfigSource;
}

/**
 * Chooses the policy config of a run, first match wins: an explicit `--policy-config` file; the shipped
 * stack's `policies/config.<stack>.json`; the defaults of the stack's `redis:environment`
 * (`policies/environments/<environment>.json`); the pack's own levels.
 *
 * @throws Error when the explicit file is missing or the environment has no defaults
 */
export function choosePolicyConfig(input: { explicit?: string; stack?: string; environment?: string }, root: string = PROJECT_ROOT): ChosenPolicyConfig {
    if (input.explicit !== undefined) {
        if (!existsSync(input.explicit)) {
            throw new Error(`--policy-config ${input.explicit}: no such file`);
        }
        return { config: readJson(input.explicit), source: { kind: "file", path: input.explicit } };
    }
    if (input.stack !== undefined && existsSync(policyConfigPath(input.stack, root))) {
        const file = policyConfigPath(input.stack, root);
        return { config: readJson(file), source: { kind: "file", path: path.relative(root, file) } };
    }
    if (input.environment !== undefined) {
        const file = environmentConfigPath(input.environment, root);
        if (!existsSync(file)) {
            throw new Error(`redis:environment "${input.environment}" has no default policy levels: use one of ${knownEnvironments(root).join(", ")}, or pass --policy-config`);
        }
        return { config: readJson(file), source: { kind: "environment", environment: input.environment, path: path.relative(root, file) } };
    }
    return { config: {}, source: { kind: "pack" } };
}

/** How the report names the config it used. */
export function describePolicyConfig(source: PolicyConfigSource): string {
    switch (source.kind) {
        case "file":
            return source.path;
        case "environment":
            return `defaults for environment ${source.environment} (${source.path})`;
        case "pack":
            return "the pack's own levels (no policy config file, no redis:environment)";
    }
}

/** Reads a stack's policy config file; a stack without one runs the pack as written. */
export function readPolicyConfig(stack: string, root: string = PROJECT_ROOT): PolicyPackConfig {
    const file = policyConfigPath(stack, root);
    return existsSync(file) ? readJson(file) : {};
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
