import * as path from "node:path";
import { stringify } from "yaml";
import type { RecordedResource } from "../offline/mockRuntime";
import type { RenderedFile } from "./files";
import { RENDER_REDACTED, redactRendered } from "./secrets";

/** `kubernetes:<group>/<version>:<Kind>`; the core group has no name (`core/v1` is `v1`). */
const KUBERNETES_TYPE = /^kubernetes:([^:]+):([A-Za-z0-9]+)$/;

/** Replaces every value of a map with {@link RENDER_REDACTED}, keeping the keys reviewable. */
function redactedMap(map: unknown): unknown {
    return map !== null && typeof map === "object" ? Object.fromEntries(Object.keys(map).sort().map((key) => [key, RENDER_REDACTED])) : map;
}

/** Redacts secrets in every string of a value. */
function redactDeep(value: unknown): unknown {
    if (typeof value === "string") {
        return redactRendered(value);
    }
    if (Array.isArray(value)) {
        return value.map(redactDeep);
    }
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, redactDeep(inner)]));
    }
    return value;
}

/**
 * One Kubernetes object as the program registered it, or `undefined` for a resource that is not a Kubernetes
 * object. `metadata.name` is the name given, else the logical name (the provider would add a random suffix);
 * a Secret's values are redacted, its keys kept. Pure.
 */
export function kubernetesObject(resource: RecordedResource): Record<string, unknown> | undefined {
    const match = KUBERNETES_TYPE.exec(resource.type);
    if (!match || !match[1].includes("/")) {
        return undefined;
    }
    const [, groupVersion, kind] = match;
    const { apiVersion: _apiVersion, kind: _kind, metadata = {}, ...body } = resource.inputs as Record<string, any>;
    const object: Record<string, unknown> = {
        apiVersion: groupVersion.startsWith("core/") ? groupVersion.slice("core/".length) : groupVersion,
        kind,
        metadata: { ...metadata, name: metadata.name ?? resource.name },
        ...Object.fromEntries(Object.entries(body).filter(([key, value]) => !key.startsWith("__") && value !== undefined)),
    };
    if (kind === "Secret") {
        for (const key of ["data", "stringData"]) {
            if (key in object) {
                object[key] = redactedMap(object[key]);
            }
        }
    }
    return redactDeep(object) as Record<string, unknown>;
}

/**
 * The Kubernetes manifests of a stack, one YAML file per object (`manifests/<kind>-<logical name>.yaml`),
 * from the resources its program registered under the mock runtime: what `pulumi up` would send to the API
 * server, minus values only the cluster knows. Pure.
 */
export function kubernetesManifests(resources: readonly RecordedResource[]): RenderedFile[] {
    return resources.flatMap((resource) => {
        const object = kubernetesObject(resource);
        if (object === undefined) {
            return [];
        }
        const header = `# Source: ${resource.type} "${resource.name}" (rendered offline: generated names lack the provider's random suffix)\n`;
        return [{ path: path.posix.join("manifests", `${String(object.kind).toLowerCase()}-${resource.name}.yaml`), content: header + stringify(object, { lineWidth: 0 }) }];
    });
}
