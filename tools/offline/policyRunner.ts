import type { PolicyResource, PolicyResourceOptions, ResourceValidationArgs } from "@pulumi/policy";
import { isStackPolicy } from "../../policies/rules/lib/define";
import type { OfflineStackValidationArgs, StackOutputFact } from "../../policies/rules/stack";
import type { RecordedResource } from "./mockRuntime";
import type { AnyPolicy, PolicySetting } from "./policyConfig";

/** One violation, as the report shows it. */
export interface Finding {
    rule: string;
    level: "mandatory" | "advisory";
    /** The resource's logical name; the stack's own name (`<project>-<stack>`) for a violation of the stack as a whole. */
    resource: string;
    type: string;
    /** The resource's URN; the stack resource's URN for a violation of the stack as a whole. */
    urn: string;
    message: string;
}

/** The stack resource itself, named the way the engine names it, from any URN of the stack. */
export function stackResourceOf(urns: readonly string[]): { name: string; type: string; urn: string } {
    const match = urns.map((urn) => /^urn:pulumi:([^:]+)::([^:]+)::/.exec(urn)).find((found) => found !== null);
    const [stack, project] = match ? [match[1], match[2]] : ["stack", "project"];
    const type = "pulumi:pulumi:Stack";
    return { name: `${project}-${stack}`, type, urn: `urn:pulumi:${stack}::${project}::${type}::${project}-${stack}` };
}

class NotApplicable extends Error {}

function optionsOf(resource: RecordedResource): PolicyResourceOptions {
    return {
        protect: resource.protect,
        ignoreChanges: [],
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: resource.additionalSecretOutputs,
        parent: resource.parent,
    };
}

function typeHelpers(type: string, props: Record<string, any>) {
    const matches = (resourceClass: unknown) => (resourceClass as { __pulumiType?: string }).__pulumiType === type;
    return {
        isType: (resourceClass: unknown) => matches(resourceClass),
        asType: (resourceClass: unknown) => (matches(resourceClass) ? props : undefined),
    };
}

const notApplicable = (reason?: string): never => {
    throw new NotApplicable(reason);
};

/** The stack's resources as the engine hands them to stack policies: parents and dependencies linked by URN. */
export function policyResources(recorded: readonly RecordedResource[]): PolicyResource[] {
    const byUrn = new Map<string, PolicyResource>();
    const resources = recorded.map((resource) => {
        const policyResource = {
            type: resource.type,
            name: resource.name,
            urn: resource.urn,
            props: resource.inputs,
            opts: optionsOf(resource),
            dependencies: [] as PolicyResource[],
            propertyDependencies: {} as Record<string, PolicyResource[]>,
            ...typeHelpers(resource.type, resource.inputs),
        } as unknown as PolicyResource;
        byUrn.set(resource.urn, policyResource);
        return policyResource;
    });
    recorded.forEach((resource, index) => {
        const target = resources[index] as { parent?: PolicyResource; dependencies: PolicyResource[]; propertyDependencies: Record<string, PolicyResource[]> };
        const linked = (urns: readonly string[]) => urns.map((urn) => byUrn.get(urn)).filter((dependency): dependency is PolicyResource => dependency !== undefined);
        target.parent = resource.parent === undefined ? undefined : byUrn.get(resource.parent);
        target.dependencies = linked(resource.dependencies);
        target.propertyDependencies = Object.fromEntries(Object.entries(resource.propertyDependencies ?? {}).map(([key, urns]) => [key, linked(urns)]));
    });
    return resources;
}

/** Orders findings for a stable report: mandatory first, then by rule, resource and message. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
    const rank = (finding: Finding) => (finding.level === "mandatory" ? 0 : 1);
    return [...findings].sort(
        (a, b) => rank(a) - rank(b) || a.rule.localeCompare(b.rule) || a.resource.localeCompare(b.resource) || a.message.localeCompare(b.message),
    );
}

/**
 * Runs every enabled policy: resource policies on each recorded resource, stack policies once on the whole
 * (with the stack outputs and their secret flags). A policy that throws is reported as a mandatory finding:
 * a crashed rule has not passed.
 */
export async function evaluatePolicies(
    recorded: readonly RecordedResource[],
    outputs: Readonly<Record<string, StackOutputFact>>,
    policies: readonly AnyPolicy[],
    settings: ReadonlyMap<string, PolicySetting>,
    stack?: { stack: string; project: string },
): Promise<Finding[]> {
    const findings: Finding[] = [];
    const resources = policyResources(recorded);
    const byUrn = new Map(resources.map((resource) => [resource.urn, resource]));
    const stackResource = stackResourceOf(stack === undefined ? resources.map((resource) => resource.urn) : [`urn:pulumi:${stack.stack}::${stack.project}::`]);
    for (const policy of policies) {
        const setting = settings.get(policy.name);
        if (setting === undefined || setting.level === "disabled") {
            continue;
        }
        const level = setting.level === "mandatory" || setting.level === "remediate" ? "mandatory" : "advisory";
        const add = (resource: PolicyResource | undefined, message: string) => {
            const named = resource ?? stackResource;
            findings.push({ rule: policy.name, level, resource: named.name, type: named.type, urn: named.urn, message });
        };
        const getConfig = <T extends object>() => setting.config as T;
        const guarded = async (resource: PolicyResource | undefined, body: () => Promise<void> | void) => {
            try {
                await body();
            } catch (error) {
                if (!(error instanceof NotApplicable)) {
                    add(resource, `rule failed: ${error instanceof Error ? error.message : String(error)}`);
                }
            }
        };
        if (isStackPolicy(policy)) {
            const args: OfflineStackValidationArgs = { resources, stackTags: new Map(), getConfig, notApplicable, stackOutputs: outputs };
            await guarded(undefined, () => policy.validateStack(args, (message, urn) => add(urn === undefined ? undefined : byUrn.get(urn), message)));
            continue;
        }
        const validations = policy.validateResource === undefined ? [] : Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
        for (const resource of resources) {
            const args = {
                type: resource.type,
                props: resource.props,
                urn: resource.urn,
                name: resource.name,
                opts: resource.opts,
                stackTags: new Map(),
                getConfig,
                notApplicable,
                ...typeHelpers(resource.type, resource.props),
            } as unknown as ResourceValidationArgs;
            for (const validate of validations) {
                await guarded(resource, () => validate(args, (message) => add(resource, message)));
            }
        }
    }
    return sortFindings(findings);
}
