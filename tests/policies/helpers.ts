import type { PolicyPackConfig } from "@pulumi/policy";
import type { StackOutputFact } from "../../policies/rules/stack";
import type { RecordedResource } from "../../tools/offline/mockRuntime";
import { AnyPolicy, resolvePolicySettings } from "../../tools/offline/policyConfig";
import { shippedStacks } from "../../tools/offline/policyArgs";
import { evaluatePolicies, Finding } from "../../tools/offline/policyRunner";

/** A resource of a fixture stack. */
export interface FixtureResource {
    type: string;
    /** @default "r<index>" */
    name?: string;
    props: Record<string, any>;
    protect?: boolean;
    additionalSecretOutputs?: string[];
    /** Logical names of the resources this one depends on. */
    dependsOn?: string[];
    /** Per input property, the logical names of the resources its value came from (engine property dependencies). */
    refs?: Record<string, string[]>;
}

/** A fixture: a few resources (and stack outputs), and optionally the rule's config entry. */
export interface Fixture {
    resources: FixtureResource[];
    outputs?: Record<string, StackOutputFact>;
    config?: PolicyPackConfig[string];
}

/** One rule's fixtures: those it passes, and those it flags with the exact messages. */
export interface RuleCase {
    policy: AnyPolicy;
    pass: { title: string; fixture: Fixture }[];
    flag: { title: string; fixture: Fixture; messages: string[] }[];
}

/** A one-resource fixture. */
export function one(type: string, props: Record<string, any>, extra: Omit<FixtureResource, "type" | "props"> = {}): Fixture {
    return { resources: [{ type, props, ...extra }] };
}

/** Turns fixture resources into recorded registrations, as the mock runtime would make them. */
export function recorded(resources: readonly FixtureResource[]): RecordedResource[] {
    const named = resources.map((resource, index) => ({ ...resource, name: resource.name ?? `r${index}` }));
    const urnOf = (name: string) => {
        const resource = named.find((candidate) => candidate.name === name);
        if (resource === undefined) {
            throw new Error(`fixture: no resource named ${name}`);
        }
        return `urn:pulumi:test::fixture::${resource.type}::${name}`;
    };
    return named.map((resource) => ({
        type: resource.type,
        name: resource.name,
        urn: urnOf(resource.name),
        parent: undefined,
        custom: true,
        inputs: resource.props,
        secretInputs: [],
        protect: resource.protect ?? false,
        additionalSecretOutputs: resource.additionalSecretOutputs ?? [],
        dependencies: [...new Set([...(resource.dependsOn ?? []), ...Object.values(resource.refs ?? {}).flat()])].map(urnOf),
        ...(resource.refs === undefined ? {} : { propertyDependencies: Object.fromEntries(Object.entries(resource.refs).map(([key, names]) => [key, names.map(urnOf)])) }),
    }));
}

/** Runs one policy on a fixture through the offline runner and returns its findings. */
export async function findingsOf(policy: AnyPolicy, fixture: Fixture): Promise<Finding[]> {
    const config: PolicyPackConfig = fixture.config === undefined ? {} : { [policy.name]: fixture.config };
    return evaluatePolicies(recorded(fixture.resources), fixture.outputs ?? {}, [policy], resolvePolicySettings([policy], config), { stack: "test", project: "fixture" });
}

/** Runs one policy on a fixture through the offline runner and returns its messages. */
export async function messagesOf(policy: AnyPolicy, fixture: Fixture): Promise<string[]> {
    return (await findingsOf(policy, fixture)).map((finding) => finding.message);
}

/** Every shipped stack: the `<name>` of each `Pulumi.<name>.yaml`. */
export const STACKS = shippedStacks();
