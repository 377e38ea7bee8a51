import type { ArgProblem } from "../../problems";
import type { ProxySettings } from "../../settings";
import { PINNED_IMAGE_PATTERN, ENVOY_IMAGE } from "../images";

/**
 * The optional Envoy `redis_proxy` in front of a self-hosted Redis Cluster: one TLS endpoint that clients
 * use as if it were a single Redis node, while Envoy follows the cluster's slot map (see docs/proxy.md).
 * Pure: the args, their defaults and their checks.
 */

/** The proxy as `SelfHostedRedisArgs.proxy` takes it. */
export interface ProxyArgs {
    /** Whether the proxy runs. Every other key needs it `true`. */
    enabled: boolean;
    /** Envoy pods behind the proxy Service (Kubernetes only; Docker runs one container). @default 2 */
    replicas?: number;
    /** The Envoy image, pinned by tag and digest (a mirror of the default, say). @default {@link ENVOY_IMAGE} */
    image?: string;
    /** CPU and memory limit of each Envoy container. @default { cpu: "500m", memoryMiB: 256 } */
    resources?: { cpu?: string; memoryMiB?: number };
}

export type { ProxySettings } from "../../settings";

/** Envoy pods when `replicas` is not set: two, so a drained node never takes the endpoint down. */
export const DEFAULT_PROXY_REPLICAS = 2;

/** Each Envoy container's limits when `resources` does not say. */
export const DEFAULT_PROXY_RESOURCES = { cpu: "500m", memoryMiB: 256 } as const;

/** The most Envoy pods a deployment may ask for. */
export const MAX_PROXY_REPLICAS = 10;

/** The proxy settings of args, or `undefined` when it is off. Pure; run {@link proxyArgsProblems} first. */
export function resolveProxy(proxy: ProxyArgs | undefined, platform: "docker" | "kubernetes"): ProxySettings | undefined {
    if (proxy === undefined || !proxy.enabled) {
        return undefined;
    }
    return {
        enabled: true,
        replicas: platform === "docker" ? 1 : (proxy.replicas ?? DEFAULT_PROXY_REPLICAS),
        image: proxy.image ?? ENVOY_IMAGE.ref,
        resources: { cpu: proxy.resources?.cpu ?? DEFAULT_PROXY_RESOURCES.cpu, memoryMiB: proxy.resources?.memoryMiB ?? DEFAULT_PROXY_RESOURCES.memoryMiB },
    };
}

/** What {@link proxyArgsProblems} looks at besides the proxy itself. */
export interface ProxyContext {
    topology: "standalone" | "sentinel" | "cluster";
    platform: "docker" | "kubernetes";
    /** Whether TLS is on (`tls.enabled`, default on). */
    tls: boolean;
    /** The role of the first application user: the one clients log in to the proxy as. */
    firstUserRole: string | undefined;
}

/**
 * The problems of `proxy`: it fronts a Redis Cluster only, with TLS, for an `app` or `readonly` user, and
 * its keys apply only while it is enabled. Paths start at `proxy`. Pure.
 */
export function proxyArgsProblems(proxy: ProxyArgs | undefined, context: ProxyContext): ArgProblem[] {
    if (proxy === undefined) {
        return [];
    }
    const problems: ArgProblem[] = [];
    const add = (path: (string | number)[], message: string) => problems.push({ path: ["proxy", ...path], message });
    if (!proxy.enabled) {
        for (const key of ["replicas", "image", "resources"] as const) {
            if (proxy[key] !== undefined) {
                add([key], "is set but proxy.enabled is false: remove it, or set proxy.enabled to true");
            }
        }
        return problems;
    }
    if (context.topology !== "cluster") {
        add(["enabled"], `is true but topology is "${context.topology}": the Envoy redis_proxy fronts a Redis Cluster only (standalone and sentinel clients already have one endpoint)`);
    }
    if (!context.tls) {
        add(["enabled"], "is true but tls.enabled is false: the proxy is one TLS endpoint and talks TLS to the nodes; turn TLS on");
    }
    if (context.firstUserRole !== undefined && context.firstUserRole !== "app" && context.firstUserRole !== "readonly") {
        add(["enabled"], `is true but the first acl user has role "${context.firstUserRole}": clients log in to the proxy as the first acl user and Envoy runs every command as that user, so it must be an "app" or "readonly" user`);
    }
    if (proxy.replicas !== undefined) {
        if (context.platform === "docker" && proxy.replicas !== 1) {
            add(["replicas"], `= ${proxy.replicas}: platform "docker" runs one Envoy container: remove it (or set 1)`);
        } else if (!Number.isInteger(proxy.replicas) || proxy.replicas < 1 || proxy.replicas > MAX_PROXY_REPLICAS) {
            add(["replicas"], `= ${proxy.replicas}: must be a whole number from 1 to ${MAX_PROXY_REPLICAS}`);
        }
    }
    if (proxy.image !== undefined && !PINNED_IMAGE_PATTERN.test(proxy.image)) {
        add(["image"], `= "${proxy.image}": must be an image pinned by tag and digest, such as envoyproxy/envoy:<tag>@sha256:<64 hex>`);
    }
    const memory = proxy.resources?.memoryMiB;
    if (memory !== undefined && (!Number.isInteger(memory) || memory < 64 || memory > 16384)) {
        add(["resources", "memoryMiB"], `= ${memory}: must be a whole number of MiB from 64 to 16384`);
    }
    const cpu = proxy.resources?.cpu;
    if (cpu !== undefined && !/^([1-9][0-9]*m|[0-9]+(\.[0-9]+)?)$/.test(cpu)) {
        add(["resources", "cpu"], `= "${cpu}": must be CPU cores such as 500m, 1 or 1.5`);
    }
    return problems;
}
