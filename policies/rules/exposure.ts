import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { largePublicRange, PUBLIC_RANGE_CONFIG, PublicRangeLimits } from "./lib/cidr";
import { resourceRule, stackRule } from "./lib/define";
import { deploymentPorts } from "./lib/deploymentPorts";
import { podTemplateOf, runsRedis, selectorMatches, WORKLOAD_TYPES } from "./lib/pods";
import { ofTypes } from "./lib/relations";
import { KUBERNETES } from "./lib/types";
import { at, numeric, record, records, strings, text } from "./lib/values";

/** Annotations that make a cloud load balancer internal (AWS, GCP, Azure, OCI). */
const INTERNAL_LB_ANNOTATIONS: Readonly<Record<string, RegExp>> = {
    "service.beta.kubernetes.io/aws-load-balancer-internal": /^(true|0\.0\.0\.0\/0)$/i,
    "service.beta.kubernetes.io/aws-load-balancer-scheme": /^internal$/i,
    "networking.gke.io/load-balancer-type": /^internal$/i,
    "cloud.google.com/load-balancer-type": /^internal$/i,
    "service.beta.kubernetes.io/azure-load-balancer-internal": /^true$/i,
    "service.beta.kubernetes.io/oci-load-balancer-internal": /^true$/i,
};

function isInternalLoadBalancer(annotations: Record<string, unknown>): boolean {
    return Object.entries(INTERNAL_LB_ANNOTATIONS).some(([key, pattern]) => typeof annotations[key] === "string" && pattern.test(annotations[key] as string));
}

/** Whether a Service fronts Redis: it selects Redis pods of its namespace, or serves a deployment port. */
function exposesRedis(service: PolicyResource, resources: readonly PolicyResource[], ports: readonly number[]): boolean {
    const namespace = text(at(service.props, "metadata", "namespace"));
    const selector = record(at(service.props, "spec", "selector"));
    const selectsRedis =
        selector !== undefined &&
        Object.keys(selector).length > 0 &&
        ofTypes(resources, WORKLOAD_TYPES).some((workload) => {
            const template = podTemplateOf(workload.type, workload.props);
            return template !== undefined && template.namespace === namespace && runsRedis(template) && selectorMatches({ matchLabels: selector }, template.labels);
        });
    const servesPort = records(at(service.props, "spec", "ports")).some((port) => [numeric(port.port), numeric(port.targetPort)].some((candidate) => candidate !== undefined && ports.includes(candidate)));
    return selectsRedis || servesPort;
}

/** What makes one Service reachable from outside the cluster, or `undefined` when nothing does. */
export function servicePublicProblem(props: Record<string, any>, limits: PublicRangeLimits): string | undefined {
    const spec = record(props.spec) ?? {};
    const externalIps = strings(spec.externalIPs);
    if (externalIps.length > 0) {
        return `externalIPs ${externalIps.join(", ")} accept traffic for it on those addresses: remove them`;
    }
    if (spec.type === "NodePort") {
        return "type NodePort opens it on every node's address: use ClusterIP, or an internal LoadBalancer with loadBalancerSourceRanges";
    }
    if (spec.type !== "LoadBalancer" || isInternalLoadBalancer(record(at(props, "metadata", "annotations")) ?? {})) {
        return undefined;
    }
    const annotated = text(at(props, "metadata", "annotations", "service.beta.kubernetes.io/load-balancer-source-ranges"));
    const ranges = [...strings(spec.loadBalancerSourceRanges), ...(annotated?.split(",").map((range) => range.trim()) ?? [])];
    if (ranges.length === 0) {
        return "type LoadBalancer without loadBalancerSourceRanges is reachable from the whole internet: list the clients' ranges or make the load balancer internal";
    }
    const open = largePublicRange(ranges, limits);
    return open === undefined ? undefined : `type LoadBalancer admits a large public range: ${open}: list only the clients' ranges`;
}

/** A Service of type LoadBalancer or NodePort puts Redis in front of whoever can reach the load balancer or the nodes. */
export const k8sServiceNotPublic = stackRule<PublicRangeLimits>({
    name: "k8s-service-not-public",
    description: "No Service that selects Redis pods or serves a deployment port is a NodePort, has externalIPs, or is a LoadBalancer without narrow loadBalancerSourceRanges (internal load balancers are fine).",
    enforcementLevel: "mandatory",
    config: PUBLIC_RANGE_CONFIG,
    check: (resources, report, config) => {
        const ports = deploymentPorts(resources);
        for (const service of ofTypes(resources, [KUBERNETES.service]).filter((candidate) => exposesRedis(candidate, resources, ports))) {
            const problem = servicePublicProblem(service.props ?? {}, config);
            if (problem !== undefined) {
                report(`Service ${service.name}: ${problem}`, service.urn);
            }
        }
    },
});

/** Why one NetworkPolicy ingress peer admits everyone, or `undefined` when it is narrow. */
function openPeerProblem(peer: Record<string, unknown>, limits: PublicRangeLimits): string | undefined {
    const ipBlock = record(peer.ipBlock);
    if (ipBlock !== undefined) {
        const open = largePublicRange([String(ipBlock.cidr ?? "")], limits, strings(ipBlock.except));
        return open === undefined ? undefined : `an ipBlock admitting a large public range: ${open}`;
    }
    const pods = record(peer.podSelector);
    const namespaces = record(peer.namespaceSelector);
    const empty = (selector: Record<string, unknown> | undefined) => selector !== undefined && records(selector.matchExpressions).length === 0 && Object.keys(record(selector.matchLabels) ?? {}).length === 0;
    if (pods === undefined && namespaces === undefined) {
        return "an empty peer {}, which admits every source";
    }
    if (empty(namespaces) && (pods === undefined || empty(pods))) {
        return "namespaceSelector: {} without a pod selector, which admits every pod of every namespace";
    }
    return undefined;
}

/** A NetworkPolicy whose rule admits everything protects nothing, and looks as if it did. */
export const k8sNetworkPolicyNoAllowAll = resourceRule<PublicRangeLimits>({
    name: "k8s-network-policy-no-allow-all",
    description: "No NetworkPolicy ingress rule admits every source: no rule without `from`, no empty peer {}, no namespaceSelector: {} alone, no ipBlock covering a large public range.",
    enforcementLevel: "mandatory",
    config: PUBLIC_RANGE_CONFIG,
    types: [KUBERNETES.networkPolicy],
    check: (props, report, config) => {
        records(at(props, "spec", "ingress")).forEach((rule, index) => {
            const peers = Array.isArray(rule.from) ? rule.from : [];
            if (peers.length === 0) {
                report(`ingress rule ${index + 1} has no "from", which admits every source: name the client pods, namespaces or ranges`);
                return;
            }
            for (const problem of records(peers).map((peer) => openPeerProblem(peer, config)).filter((candidate): candidate is string => candidate !== undefined)) {
                report(`ingress rule ${index + 1} has ${problem}: name the client pods, namespaces or ranges`);
            }
        });
    },
});

/** Every exposure rule for Kubernetes that looks at one resource. */
export const EXPOSURE_RESOURCE_RULES: ResourceValidationPolicy[] = [k8sNetworkPolicyNoAllowAll];

/** Every exposure rule for Kubernetes that looks at the whole stack. */
export const EXPOSURE_STACK_RULES: StackValidationPolicy[] = [k8sServiceNotPublic];
