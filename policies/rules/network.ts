import type { ResourceValidationPolicy } from "@pulumi/policy";
import { resourceRule } from "./lib/define";
import { SECURITY_GROUPS } from "./lib/types";
import { numeric, records, strings, text } from "./lib/values";

/** The ports a Redis deployment listens on: clients, the cluster bus, sentinels. */
export const REDIS_PORTS = [6379, 16379, 26379] as const;

const WORLD = ["0.0.0.0/0", "::/0"];

/** One ingress permission, whatever resource expressed it. */
export interface IngressPermission {
    protocol: string | undefined;
    fromPort: number | undefined;
    toPort: number | undefined;
    sources: string[];
}

/** The Redis ports an ingress permission opens: all of them for "all traffic", else those in its range. */
export function redisPortsOpenedBy(permission: IngressPermission): number[] {
    const protocol = (permission.protocol ?? "").toLowerCase();
    if (protocol === "-1" || protocol === "all") {
        return [...REDIS_PORTS];
    }
    if (protocol !== "tcp" && protocol !== "6") {
        return [];
    }
    const from = permission.fromPort ?? 0;
    const to = permission.toPort ?? from;
    return REDIS_PORTS.filter((port) => port >= from && port <= to);
}

function permissionsOf(type: string, props: Record<string, any>): IngressPermission[] {
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
        default:
            return [
                {
                    protocol: text(props.ipProtocol),
                    fromPort: numeric(props.fromPort),
                    toPort: numeric(props.toPort),
                    sources: [text(props.cidrIpv4), text(props.cidrIpv6)].filter((source): source is string => source !== undefined),
                },
            ];
    }
}

/** Redis on the open internet is scanned and attacked within minutes. */
export const noPublicRedisPorts = resourceRule({
    name: "security-group-no-public-redis",
    description: "No security group opens 6379, 16379 or 26379 to 0.0.0.0/0 or ::/0.",
    enforcementLevel: "mandatory",
    types: [SECURITY_GROUPS.group, SECURITY_GROUPS.rule, SECURITY_GROUPS.ingressRule],
    check: (props, report, _config, args) => {
        for (const permission of permissionsOf(args.type, props)) {
            const world = permission.sources.filter((source) => WORLD.includes(source));
            const ports = redisPortsOpenedBy(permission);
            if (world.length > 0 && ports.length > 0) {
                report(`ingress opens port ${ports.join(", ")} to ${world.join(", ")}: allow the application's security group or network instead`);
            }
        }
    },
});

/** Every network rule. */
export const NETWORK_RULES: ResourceValidationPolicy[] = [noPublicRedisPorts];
