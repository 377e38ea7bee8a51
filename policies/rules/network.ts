import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { largePublicRange, PUBLIC_RANGE_CONFIG, PublicRangeLimits } from "./lib/cidr";
import { stackRule } from "./lib/define";
import { deploymentPorts } from "./lib/deploymentPorts";
import { ofTypes, pointsAt } from "./lib/relations";
import { ELASTICACHE, SECURITY_GROUPS } from "./lib/types";
import { numeric, records, strings, text } from "./lib/values";

/** One ingress permission, whatever resource expressed it. */
export interface IngressPermission {
    protocol: string | undefined;
    fromPort: number | undefined;
    toPort: number | undefined;
    sources: string[];
}

/** Whether a permission covers every protocol and port. */
function allTraffic(permission: IngressPermission): boolean {
    const protocol = (permission.protocol ?? "").toLowerCase();
    return protocol === "-1" || protocol === "all";
}

/** The ports of `ports` an ingress permission opens: all of them for "all traffic", else those in its TCP range. */
export function portsOpenedBy(permission: IngressPermission, ports: readonly number[]): number[] {
    if (allTraffic(permission)) {
        return [...ports];
    }
    const protocol = (permission.protocol ?? "").toLowerCase();
    if (protocol !== "tcp" && protocol !== "6") {
        return [];
    }
    const from = permission.fromPort ?? 0;
    const to = permission.toPort ?? from;
    return ports.filter((port) => port >= from && port <= to);
}

/** How a permission's port range reads in a message. */
function describePorts(permission: IngressPermission): string {
    if (allTraffic(permission)) {
        return "all traffic";
    }
    const from = permission.fromPort ?? 0;
    const to = permission.toPort ?? from;
    return from === to ? `${permission.protocol} port ${from}` : `${permission.protocol} ports ${from}-${to}`;
}

/** The ingress permissions one resource expresses (a security group's inline rules, or one rule resource). */
export function permissionsOf(type: string, props: Record<string, any>): IngressPermission[] {
    switch (type) {
        case SECURITY_GROUPS.group:
            return records(props.ingress).map((rule) => ({
                protocol: text(rule.protocol),
                fromPort: numeric(rule.fromPort),
                toPort: numeric(rule.toPort),
                sources: [...strings(rule.cidrBlocks), ...strings(rule.ipv6CidrBlocks)],
            }));
        case SECURITY_GROUPS.rule:
            return props.type === "ingress"
                ? [{ protocol: text(props.protocol), fromPort: numeric(props.fromPort), toPort: numeric(props.toPort), sources: [...strings(props.cidrBlocks), ...strings(props.ipv6CidrBlocks)] }]
                : [];
        case SECURITY_GROUPS.ingressRule:
            return [
                {
                    protocol: text(props.ipProtocol),
                    fromPort: numeric(props.fromPort),
                    toPort: numeric(props.toPort),
                    sources: [text(props.cidrIpv4), text(props.cidrIpv6)].filter((source): source is string => source !== undefined),
                },
            ];
        default:
            return [];
    }
}

const PERMISSION_TYPES = [SECURITY_GROUPS.group, SECURITY_GROUPS.rule, SECURITY_GROUPS.ingressRule];

/** One ingress permission with the resource that declares it and the security group it belongs to. */
interface PlacedPermission {
    resource: PolicyResource;
    /** The security group resource of the stack, or the literal group id of a group outside the stack. */
    group: string;
    permission: IngressPermission;
}

/** Every ingress permission of the stack, placed in its security group. */
function placedPermissions(resources: readonly PolicyResource[]): PlacedPermission[] {
    const groups = ofTypes(resources, [SECURITY_GROUPS.group]);
    return ofTypes(resources, PERMISSION_TYPES).flatMap((resource) => {
        const group =
            resource.type === SECURITY_GROUPS.group
                ? resource.urn
                : (groups.find((candidate) => pointsAt(resource, candidate, "securityGroupId"))?.urn ?? text(resource.props?.securityGroupId) ?? resource.urn);
        return permissionsOf(resource.type, resource.props ?? {}).map((permission) => ({ resource, group, permission }));
    });
}

/** The security groups a cache is attached to (their URNs), so a group guards Redis even before it has a rule. */
function cacheGroups(resources: readonly PolicyResource[]): Set<string> {
    const caches = ofTypes(resources, [ELASTICACHE.replicationGroup, ELASTICACHE.serverlessCache, ELASTICACHE.cluster]);
    return new Set(ofTypes(resources, [SECURITY_GROUPS.group]).filter((group) => caches.some((cache) => pointsAt(cache, group, "securityGroupIds"))).map((group) => group.urn));
}

type NetworkConfig = PublicRangeLimits & { extraPorts: number[] };

const NETWORK_CONFIG = {
    ...PUBLIC_RANGE_CONFIG,
    extraPorts: { type: "array" as const, items: { type: "integer" }, default: [], description: "Ports to treat as Redis ports besides those the stack's own resources configure." },
};

/** Redis on the open internet is scanned and attacked within minutes. */
export const noPublicRedisPorts = stackRule<NetworkConfig>({
    name: "security-group-no-public-redis",
    description: "No security group opens a port the deployment serves (its configured client, TLS, bus and sentinel ports) to a large public range.",
    enforcementLevel: "mandatory",
    config: NETWORK_CONFIG,
    check: (resources, report, config) => {
        const ports = [...deploymentPorts(resources), ...config.extraPorts];
        for (const { resource, permission } of placedPermissions(resources)) {
            const opened = portsOpenedBy(permission, ports);
            const world = largePublicRange(permission.sources, config);
            if (world !== undefined && opened.length > 0) {
                report(`${resource.name}: ingress opens Redis port ${opened.join(", ")} to ${world}: allow the application's security group or private network instead`, resource.urn);
            }
        }
    },
});

/** An SSH or admin port open to the world next to Redis is a way in to Redis. */
export const noPublicIngressBesideRedis = stackRule<NetworkConfig>({
    name: "security-group-no-public-ingress",
    description: "A security group that guards Redis (attached to a cache, or opening a deployment port) opens no other port to a large public range either.",
    enforcementLevel: "mandatory",
    config: NETWORK_CONFIG,
    check: (resources, report, config) => {
        const ports = [...deploymentPorts(resources), ...config.extraPorts];
        const placed = placedPermissions(resources);
        const redisGroups = cacheGroups(resources);
        placed.filter((entry) => portsOpenedBy(entry.permission, ports).length > 0).forEach((entry) => redisGroups.add(entry.group));
        for (const { resource, group, permission } of placed) {
            const world = largePublicRange(permission.sources, config);
            if (redisGroups.has(group) && world !== undefined && portsOpenedBy(permission, ports).length === 0) {
                report(`${resource.name}: ingress opens ${describePorts(permission)} to ${world} in a security group that guards Redis: remove it or move it to a group of its own`, resource.urn);
            }
        }
    },
});

/** Every network rule. */
export const NETWORK_RULES: StackValidationPolicy[] = [noPublicRedisPorts, noPublicIngressBesideRedis];
