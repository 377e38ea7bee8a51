import type { PolicyResource } from "@pulumi/policy";

/**
 * Whether `resource` points at `target` through `property`. The engine records which resources each
 * property depends on; when it did not (a literal name), the property's value is compared with the target's
 * `id`, `bucket` and `name` outputs instead. Only when the engine gave no per-property record at all are the
 * resource's dependencies as a whole consulted.
 */
export function pointsAt(resource: PolicyResource, target: PolicyResource, property: string): boolean {
    const byProperty = resource.propertyDependencies?.[property];
    if (byProperty !== undefined && byProperty.length > 0) {
        return byProperty.some((dependency) => dependency.urn === target.urn);
    }
    const value = resource.props?.[property];
    if (typeof value === "string" && value.length > 0) {
        const names = [target.props?.id, target.props?.bucket, target.props?.name].filter((name) => typeof name === "string");
        if (names.includes(value)) {
            return true;
        }
    }
    if (byProperty !== undefined) {
        return false;
    }
    return (resource.dependencies ?? []).some((dependency) => dependency.urn === target.urn);
}

/** The resources of the given types. */
export function ofTypes(resources: readonly PolicyResource[], types: readonly string[]): PolicyResource[] {
    return resources.filter((resource) => types.includes(resource.type));
}
