import type {
    PolicyConfigSchema,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";

/** The two levels this pack uses: mandatory for security and data safety, advisory for best practice. */
export type RuleLevel = "mandatory" | "advisory";

/** The JSON-schema properties of a rule's config, each with its default. */
export type ConfigProperties = Record<string, { type: "integer" | "number" | "string" | "boolean" | "array"; default: unknown; description: string; items?: { type: string } }>;

/** What every rule states about itself. */
interface RuleHeader {
    /** Stable, kebab-case, never renamed: per-stack config files and suppressions refer to it. */
    name: string;
    /** One sentence: what the rule requires. */
    description: string;
    enforcementLevel: RuleLevel;
    /** Tunable settings with their defaults, overridable in `policies/config.<stack>.json`. */
    config?: ConfigProperties;
}

/** A rule that looks at one resource at a time. */
export interface ResourceRuleSpec<C extends object> extends RuleHeader {
    /** The resource types it applies to; others are skipped. */
    types: readonly string[];
    /** Reports each problem of one resource; `config` has the defaults filled in. */
    check(props: Record<string, any>, report: (message: string) => void, config: C, args: ResourceValidationArgs): void;
}

/** A rule that looks at the whole stack (relations between resources, resource options, outputs). */
export interface StackRuleSpec<C extends object> extends RuleHeader {
    /** Reports each problem; pass the offending resource's URN when there is one. */
    check(resources: PolicyResource[], report: ReportViolation, config: C, args: StackValidationArgs): void;
}

function schemaOf(config: ConfigProperties | undefined): PolicyConfigSchema | undefined {
    return config === undefined ? undefined : { properties: config as PolicyConfigSchema["properties"] };
}

/** The rule's config: its defaults under whatever the stack's policy config sets. */
export function configWithDefaults<C extends object>(config: ConfigProperties | undefined, args: { getConfig<T extends object>(): T }): C {
    const defaults = Object.fromEntries(Object.entries(config ?? {}).map(([key, property]) => [key, property.default]));
    return { ...defaults, ...(args.getConfig<Record<string, unknown>>() ?? {}) } as C;
}

/** Builds a resource validation policy that only looks at `spec.types`. */
export function resourceRule<C extends object = Record<string, never>>(spec: ResourceRuleSpec<C>): ResourceValidationPolicy {
    return {
        name: spec.name,
        description: spec.description,
        enforcementLevel: spec.enforcementLevel,
        configSchema: schemaOf(spec.config),
        validateResource: (args, reportViolation) => {
            if (!spec.types.includes(args.type)) {
                return;
            }
            spec.check(args.props ?? {}, (message) => reportViolation(message), configWithDefaults<C>(spec.config, args), args);
        },
    };
}

/** Builds a stack validation policy. */
export function stackRule<C extends object = Record<string, never>>(spec: StackRuleSpec<C>): StackValidationPolicy {
    return {
        name: spec.name,
        description: spec.description,
        enforcementLevel: spec.enforcementLevel,
        configSchema: schemaOf(spec.config),
        validateStack: (args, reportViolation) => spec.check(args.resources, reportViolation, configWithDefaults<C>(spec.config, args), args),
    };
}

/** Whether a policy is a stack policy (as opposed to a resource policy). */
export function isStackPolicy(policy: ResourceValidationPolicy | StackValidationPolicy): policy is StackValidationPolicy {
    return "validateStack" in policy && typeof (policy as StackValidationPolicy).validateStack === "function";
}
