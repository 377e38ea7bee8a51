import { isDeepStrictEqual } from "node:util";
import type { RecordedResource } from "../offline/mockRuntime";

/**
 * What `pulumi up` does to each resource when a stack goes from one recorded program run to the next, for the
 * resource types the Docker engine applier knows, reduced to what decides it. Pure.
 *
 * The model, from the Pulumi engine's step generator and `@pulumi/docker` 5.2.0 (the bridged
 * kreuzwerker/terraform-provider-docker `docker_container` schema):
 * - a resource whose inputs are unchanged stays (`same`); one that is new is created; one the program no
 *   longer registers is deleted at the end of the update, dependents first;
 * - a container whose changed inputs are all updatable in place is updated (`restart` and `memory` through
 *   `docker update`; `start`, `attach`, `logs`, `mustRun`, `wait`, `waitTimeout`, `destroyGraceSeconds`,
 *   `healthcheck` and `tmpfs` are not ForceNew and change only the state). Any other changed container input,
 *   and any changed network or volume input, replaces the resource. An image is kept (`keepLocally`);
 * - a replaced resource with `deleteBeforeReplace` is deleted first, and before it every resource of the
 *   previous run that takes one of its outputs through an input that forces replacement, transitively
 *   (`calculateDependentReplacements`, walked on the previous run's property dependencies): those still in
 *   the program are created again in their turn, the others are simply gone. A replacement without
 *   `deleteBeforeReplace` creates the new object first and deletes the old one at the end.
 *
 * A protected resource (`redis:protect`: the data volumes) is never deleted: the step fails, as Pulumi's does
 * (the applier's `update` throws there, after the steps before it).
 *
 * Limits: the inputs compared are the recorded ones (no provider `Check` normalisation or defaults); a
 * dependency only through `dependsOn` never replaces (as in Pulumi); no refresh (an exited one-shot
 * container stays as it is, as `pulumi up` without `--refresh` leaves it); retainOnDelete, aliases and
 * ignoreChanges are not modelled (the Docker platform sets none of them).
 */

/** What happens to one resource of the next run. */
export type UpdateOp = "same" | "update" | "replace" | "create";

/** The steps of an update, by URN. */
export interface UpdatePlan {
    /** Per resource of the next run (custom resources only). */
    ops: Map<string, UpdateOp>;
    /** Per resource replaced with `deleteBeforeReplace`: the previous run's dependents deleted before it, dependents first. */
    deletedFirst: Map<string, string[]>;
    /** Resources of the previous run the next one does not register. */
    removed: string[];
    /** Per updated or replaced resource, the inputs that changed. */
    changed: Map<string, string[]>;
    /** Protected resources of the previous run the update would delete or replace: the step that reaches one fails. */
    protectedDeletes: string[];
}

/** Container inputs the provider updates without replacing the container. */
export const CONTAINER_IN_PLACE_INPUTS = ["restart", "memory", "start", "attach", "logs", "mustRun", "wait", "waitTimeout", "destroyGraceSeconds", "healthcheck", "tmpfs"] as const;

const CONTAINER = "docker:index/container:Container";
const IMAGE = "docker:index/remoteImage:RemoteImage";

/** The inputs whose values differ between two registrations. */
export function changedInputs(before: Readonly<Record<string, unknown>>, after: Readonly<Record<string, unknown>>): string[] {
    return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((key) => !isDeepStrictEqual(before[key], after[key])).sort();
}

/** Whether a change of these inputs replaces a resource of this type. */
export function forcesReplacement(type: string, keys: readonly string[]): boolean {
    if (type === IMAGE) {
        return false;
    }
    if (type === CONTAINER) {
        return keys.some((key) => !(CONTAINER_IN_PLACE_INPUTS as readonly string[]).includes(key));
    }
    return keys.length > 0;
}

/** The previous run's resources replaced because an input that forces replacement takes an output of one in `replaced`, transitively, in registration order. */
function dependentsOf(root: string, previous: readonly RecordedResource[]): string[] {
    const replaced = new Set([root]);
    const dependents: string[] = [];
    // Registration order is dependency order: one pass sees every transitive dependent.
    for (const resource of previous) {
        if (replaced.has(resource.urn)) {
            continue;
        }
        const keys = Object.entries(resource.propertyDependencies ?? {})
            .filter(([, urns]) => urns.some((urn) => replaced.has(urn)))
            .map(([key]) => key);
        if (keys.length > 0 && forcesReplacement(resource.type, keys)) {
            replaced.add(resource.urn);
            dependents.push(resource.urn);
        }
    }
    return dependents;
}

/** The steps taking the `previous` run's custom resources to the `next` run's. */
export function planUpdate(previous: readonly RecordedResource[], next: readonly RecordedResource[]): UpdatePlan {
    const before = previous.filter((resource) => resource.custom);
    const after = next.filter((resource) => resource.custom);
    const old = new Map(before.map((resource) => [resource.urn, resource]));
    const ops = new Map<string, UpdateOp>();
    const changed = new Map<string, string[]>();
    for (const resource of after) {
        const was = old.get(resource.urn);
        if (was === undefined) {
            ops.set(resource.urn, "create");
            continue;
        }
        const keys = changedInputs(was.inputs, resource.inputs);
        if (keys.length > 0) {
            changed.set(resource.urn, keys);
        }
        ops.set(resource.urn, keys.length === 0 ? "same" : forcesReplacement(resource.type, keys) ? "replace" : "update");
    }
    const deletedFirst = new Map<string, string[]>();
    // Registration order: a root's dependents replaced here are replaced whatever their own inputs say.
    // (A replacement without deleteBeforeReplace gives its dependents a new id, which replaces them in their turn.)
    for (const resource of after) {
        if (ops.get(resource.urn) !== "replace") {
            continue;
        }
        const already = new Set([...deletedFirst.values()].flat());
        const dependents = dependentsOf(resource.urn, before).filter((urn) => !already.has(urn));
        for (const urn of dependents) {
            if (ops.has(urn)) {
                ops.set(urn, "replace");
            }
        }
        if (resource.deleteBeforeReplace === true) {
            deletedFirst.set(resource.urn, dependents.reverse());
        }
    }
    const removed = before.filter((resource) => !ops.has(resource.urn)).map((resource) => resource.urn);
    const protectedDeletes = before.filter((resource) => resource.protect && (removed.includes(resource.urn) || ops.get(resource.urn) === "replace")).map((resource) => resource.urn);
    return { ops, deletedFirst, removed, changed, protectedDeletes };
}
