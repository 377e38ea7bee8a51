import type { RecordedResource } from "../offline/mockRuntime";

/** The registered resources of a run, by URN, to walk parents. */
export function byUrn(resources: readonly RecordedResource[]): Map<string, RecordedResource> {
    return new Map(resources.filter((resource) => resource.urn !== "").map((resource) => [resource.urn, resource]));
}

/** The nearest ancestor of a resource (itself excluded) whose type matches, if any. Pure. */
export function ancestorOfType(resource: RecordedResource, index: ReadonlyMap<string, RecordedResource>, type: RegExp): RecordedResource | undefined {
    const seen = new Set<string>();
    for (let parent = resource.parent; parent !== undefined && !seen.has(parent); parent = index.get(parent)?.parent) {
        seen.add(parent);
        const found = index.get(parent);
        if (found !== undefined && type.test(found.type)) {
            return found;
        }
    }
    return undefined;
}

/** A child's logical name without its component's name as prefix (`redis-monitoring-prometheus` -> `prometheus`). Pure. */
export function shortName(child: string, component: string): string {
    return child.startsWith(`${component}-`) ? child.slice(component.length + 1) : child;
}
