import type { RecordedResource, ResolvedOutput } from "./mockRuntime";
import { REDACTED, redactInputs, redactValue, SynthFile } from "./redact";
import type { OfflineStackRun } from "./stackRun";

/** One resource as a snapshot shows it. */
export interface SynthResource {
    type: string;
    name: string;
    /** The parent's logical name; `null` for a top-level resource. */
    parent: string | null;
    inputs: Record<string, unknown>;
    /** Whether the resource is protected from deletion. */
    protect: boolean;
    /** Texts of the inputs shown in full (rendered files, scripts, rules, dashboards): none holds a credential. */
    files: SynthFile[];
    /** Depth in the tree, from 0. */
    depth: number;
}

/** A deterministic, secrets-redacted view of a stack. */
export interface SynthView {
    stack: string;
    status: OfflineStackRun["status"];
    error?: string;
    resources: SynthResource[];
    /** Stack outputs; secret ones are {@link REDACTED}. */
    outputs: Record<string, unknown>;
}

/**
 * Orders resources as a tree: depth first from the roots, siblings by type then name. Registration order is
 * asynchronous, so this order (not the recorded one) is what makes snapshots reproducible.
 */
export function treeOrder(resources: readonly RecordedResource[]): { resource: RecordedResource; depth: number }[] {
    const urns = new Set(resources.map((resource) => resource.urn));
    const children = new Map<string | undefined, RecordedResource[]>();
    for (const resource of resources) {
        const parent = resource.parent !== undefined && urns.has(resource.parent) ? resource.parent : undefined;
        children.set(parent, [...(children.get(parent) ?? []), resource]);
    }
    const ordered: { resource: RecordedResource; depth: number }[] = [];
    const visit = (parent: string | undefined, depth: number) => {
        const siblings = [...(children.get(parent) ?? [])].sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name));
        for (const resource of siblings) {
            ordered.push({ resource, depth });
            visit(resource.urn, depth + 1);
        }
    };
    visit(undefined, 0);
    return ordered;
}

/** Builds the view of an offline run. Pure. */
export function synthView(run: OfflineStackRun): SynthView {
    const names = new Map(run.resources.map((resource) => [resource.urn, resource.name]));
    const resources = treeOrder(run.resources).map(({ resource, depth }) => {
        const files: SynthFile[] = [];
        const inputs = redactInputs(resource.type, resource.inputs, resource.secretInputs, files);
        return { type: resource.type, name: resource.name, parent: resource.parent === undefined ? null : (names.get(resource.parent) ?? null), inputs, protect: resource.protect, files, depth };
    });
    const outputs = Object.fromEntries(
        Object.keys(run.outputs)
            .sort()
            .map((key) => {
                const output: ResolvedOutput = run.outputs[key];
                return [key, output.secret ? REDACTED : redactValue(output.value, key)];
            }),
    );
    return { stack: run.stack, status: run.status, ...(run.error === undefined ? {} : { error: run.error }), resources, outputs };
}

/** The one-line JSON form: `{"stack":...,"resources":[{"type","name","parent","inputs","protect","files"}]}` plus status. */
export function synthJson(view: SynthView): string {
    return JSON.stringify({
        stack: view.stack,
        status: view.status,
        ...(view.error === undefined ? {} : { error: view.error }),
        resources: view.resources.map(({ type, name, parent, inputs, protect, files }) => ({ type, name, parent, inputs, protect, files })),
        outputs: view.outputs,
    });
}
