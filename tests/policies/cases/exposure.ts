import * as exposure from "../../../policies/rules/exposure";
import { KUBERNETES } from "../../../policies/rules/lib/types";
import { Fixture, FixtureResource, one, RuleCase } from "../helpers";
import { statefulSet } from "./kubernetes";

const redisPods: FixtureResource = { type: KUBERNETES.statefulSet, name: "redis", props: statefulSet() };
const service = (spec: Record<string, unknown>, annotations: Record<string, string> = {}, name = "redis-public"): FixtureResource => ({
    type: KUBERNETES.service,
    name,
    props: { metadata: { namespace: "redis", annotations }, spec: { selector: { "app.kubernetes.io/name": "redis" }, ports: [{ name: "redis", port: 6379, targetPort: "redis" }], ...spec } },
});
const withPods = (...others: FixtureResource[]): Fixture => ({ resources: [redisPods, ...others] });

/** Fixtures of the Service and NetworkPolicy exposure rules. */
export const EXPOSURE_CASES: RuleCase[] = [
    {
        policy: exposure.k8sServiceNotPublic,
        pass: [
            { title: "a ClusterIP Service", fixture: withPods(service({ type: "ClusterIP" })) },
            { title: "an internal AWS load balancer", fixture: withPods(service({ type: "LoadBalancer" }, { "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal" })) },
            { title: "a LoadBalancer limited to private ranges", fixture: withPods(service({ type: "LoadBalancer", loadBalancerSourceRanges: ["10.0.0.0/8"] })) },
            { title: "a public LoadBalancer for something else (Grafana)", fixture: withPods(service({ type: "LoadBalancer", selector: { app: "grafana" }, ports: [{ port: 443, targetPort: 3000 }] }, {}, "grafana")) },
        ],
        flag: [
            {
                title: "a LoadBalancer without source ranges",
                fixture: withPods(service({ type: "LoadBalancer" })),
                messages: ["Service redis-public: type LoadBalancer without loadBalancerSourceRanges is reachable from the whole internet: list the clients' ranges or make the load balancer internal"],
            },
            {
                title: "a LoadBalancer whose ranges cover the internet in pieces",
                fixture: withPods(service({ type: "LoadBalancer", loadBalancerSourceRanges: ["0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/1"] })),
                messages: ["Service redis-public: type LoadBalancer admits a large public range: 0.0.0.0/2, 64.0.0.0/2, 128.0.0.0/1 (3702258688 public IPv4 addresses): list only the clients' ranges"],
            },
            {
                title: "a NodePort on the sentinel port, selecting nothing",
                fixture: one(KUBERNETES.service, { metadata: { namespace: "redis" }, spec: { type: "NodePort", ports: [{ port: 26379, nodePort: 30379 }] } }),
                messages: ["Service r0: type NodePort opens it on every node's address: use ClusterIP, or an internal LoadBalancer with loadBalancerSourceRanges"],
            },
            {
                title: "externalIPs",
                fixture: withPods(service({ type: "ClusterIP", externalIPs: ["198.51.100.7"] })),
                messages: ["Service redis-public: externalIPs 198.51.100.7 accept traffic for it on those addresses: remove them"],
            },
        ],
    },
    {
        policy: exposure.k8sNetworkPolicyNoAllowAll,
        pass: [
            {
                title: "rules naming client pods, a namespace and a private range",
                fixture: one(KUBERNETES.networkPolicy, {
                    spec: {
                        podSelector: {},
                        ingress: [
                            { from: [{ podSelector: { matchLabels: { "redis-client": "true" } } }] },
                            { from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } }], ports: [{ port: 9121 }] },
                            { from: [{ ipBlock: { cidr: "10.0.0.0/8" } }, { ipBlock: { cidr: "0.0.0.0/0", except: ["0.0.0.0/1", "128.0.0.0/1"] } }] },
                        ],
                    },
                }),
            },
            { title: "a deny-all policy (no ingress rule)", fixture: one(KUBERNETES.networkPolicy, { spec: { podSelector: {}, policyTypes: ["Ingress"] } }) },
        ],
        flag: [
            {
                title: "a rule without from",
                fixture: one(KUBERNETES.networkPolicy, { spec: { podSelector: {}, ingress: [{ ports: [{ port: 6379 }] }] } }),
                messages: ['ingress rule 1 has no "from", which admits every source: name the client pods, namespaces or ranges'],
            },
            {
                title: "an empty peer, every namespace, and the internet as an ipBlock",
                fixture: one(KUBERNETES.networkPolicy, { spec: { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { app: "api" } } }] }, { from: [{}, { namespaceSelector: {} }, { ipBlock: { cidr: "::/0", except: ["2001:db8::/32"] } }] }] } }),
                messages: [
                    "ingress rule 2 has an empty peer {}, which admits every source: name the client pods, namespaces or ranges",
                    "ingress rule 2 has an ipBlock admitting a large public range: ::/0 (2^124+ public IPv6 addresses): name the client pods, namespaces or ranges",
                    "ingress rule 2 has namespaceSelector: {} without a pod selector, which admits every pod of every namespace: name the client pods, namespaces or ranges",
                ],
            },
        ],
    },
];
