import * as k8s from "../../../policies/rules/kubernetes";
import { KUBERNETES } from "../../../policies/rules/lib/types";
import { Fixture, one, RuleCase } from "../helpers";

const LABELS = { "app.kubernetes.io/name": "redis", "app.kubernetes.io/component": "data" };

/** A container that satisfies every container rule. */
export const GOOD_CONTAINER = {
    name: "redis",
    image: "redis:7.2.5-alpine",
    resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { memory: "1Gi" } },
    securityContext: { runAsNonRoot: true, runAsUser: 999, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
    env: [
        { name: "REDIS_NODE", value: "redis-0" },
        { name: "REDIS_PASSWORD_DIR", value: "/etc/redis/passwords" },
        { name: "REDIS_PASSWORD", valueFrom: { secretKeyRef: { name: "redis-passwords", key: "app" } } },
    ],
};

/** A StatefulSet whose pods satisfy every rule. */
export function statefulSet(container: Record<string, unknown> = {}, spec: Record<string, unknown> = {}, podSpec: Record<string, unknown> = {}) {
    return {
        metadata: { name: "redis", namespace: "redis" },
        spec: {
            replicas: 3,
            serviceName: "redis",
            selector: { matchLabels: LABELS },
            template: {
                metadata: { labels: LABELS },
                spec: {
                    affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: LABELS } }] } },
                    containers: [{ ...GOOD_CONTAINER, ...container }],
                    ...podSpec,
                },
            },
            ...spec,
        },
    };
}

const sts = (container: Record<string, unknown> = {}, spec: Record<string, unknown> = {}, podSpec: Record<string, unknown> = {}) => one(KUBERNETES.statefulSet, statefulSet(container, spec, podSpec));
const good = { title: "a hardened StatefulSet", fixture: sts() };
const quoted = '"redis"';

const networkPolicy = (podSelector: unknown, namespace = "redis") => ({ type: KUBERNETES.networkPolicy, name: "redis-netpol", props: { metadata: { namespace }, spec: { podSelector, policyTypes: ["Ingress"] } } });
const budget = (selector: unknown) => ({ type: KUBERNETES.podDisruptionBudget, name: "redis-pdb", props: { metadata: { namespace: "redis" }, spec: { maxUnavailable: 1, selector } } });
const withWorkload = (...others: Fixture["resources"]): Fixture => ({ resources: [{ type: KUBERNETES.statefulSet, name: "redis", props: statefulSet() }, ...others] });

/** Fixtures of every Kubernetes rule. */
export const KUBERNETES_CASES: RuleCase[] = [
    {
        policy: k8s.containerResources,
        pass: [good],
        flag: [
            {
                title: "no requests",
                fixture: sts({ resources: { limits: { memory: "1Gi" } } }),
                messages: [`container ${quoted} does not set resources.requests.cpu, resources.requests.memory`],
            },
        ],
    },
    {
        policy: k8s.runAsNonRoot,
        pass: [
            good,
            {
                title: "a pod-level runAsNonRoot",
                fixture: sts({ securityContext: { ...GOOD_CONTAINER.securityContext, runAsNonRoot: undefined, runAsUser: undefined } }, {}, { securityContext: { runAsNonRoot: true, runAsUser: 999 } }),
            },
        ],
        flag: [
            {
                title: "no user settings",
                fixture: sts({ securityContext: { readOnlyRootFilesystem: true } }),
                messages: [`container ${quoted} may run as root: set securityContext.runAsNonRoot: true with a non-zero runAsUser`],
            },
            {
                title: "runAsUser 0",
                fixture: sts({ securityContext: { ...GOOD_CONTAINER.securityContext, runAsUser: 0 } }),
                messages: [`container ${quoted} may run as root: set securityContext.runAsNonRoot: true with a non-zero runAsUser`],
            },
        ],
    },
    {
        policy: k8s.readOnlyRootFilesystem,
        pass: [good],
        flag: [
            {
                title: "a writable root filesystem (an init container)",
                fixture: sts({}, {}, { initContainers: [{ ...GOOD_CONTAINER, name: "init", securityContext: { ...GOOD_CONTAINER.securityContext, readOnlyRootFilesystem: false } }] }),
                messages: ['container "init" has a writable root filesystem: set securityContext.readOnlyRootFilesystem: true'],
            },
        ],
    },
    {
        policy: k8s.dropAllCapabilities,
        pass: [good],
        flag: [
            {
                title: "capabilities kept, privileged",
                fixture: sts({ securityContext: { runAsNonRoot: true, privileged: true, capabilities: { drop: ["NET_RAW"] } } }),
                messages: [
                    `container ${quoted} does not drop ALL capabilities: set securityContext.capabilities.drop: ["ALL"]; is privileged: remove securityContext.privileged; may escalate privileges: set securityContext.allowPrivilegeEscalation: false`,
                ],
            },
        ],
    },
    {
        policy: k8s.k8sImagePinned,
        pass: [good, { title: "a digest", fixture: sts({ image: `docker.io/library/redis@sha256:${"b".repeat(64)}` }) }],
        flag: [
            {
                title: "latest in a CronJob",
                fixture: one(KUBERNETES.cronJob, { spec: { schedule: "0 * * * *", jobTemplate: { spec: { template: { spec: { containers: [{ ...GOOD_CONTAINER, name: "backup", image: "redis:latest" }] } } } } } }),
                messages: ['container "backup" image "redis:latest" uses latest: pin a digest or an exact version'],
            },
        ],
    },
    {
        policy: k8s.noPlaintextSecretEnv,
        pass: [good],
        flag: [
            {
                title: "a literal password",
                fixture: sts({ env: [{ name: "REDIS_PASSWORD", value: "hunter2" }, { name: "REDIS_NODE", value: "redis-0" }] }),
                messages: [`container ${quoted} sets REDIS_PASSWORD as a literal value: read it from a Secret with valueFrom.secretKeyRef`],
            },
            {
                title: "a URL with a password under a harmless name, and a password from a ConfigMap",
                fixture: sts({ env: [{ name: "REDIS_URL", value: "rediss://app:hunter2@redis:6379" }, { name: "REDIS_PASSWORD", valueFrom: { configMapKeyRef: { name: "c", key: "p" } } }] }),
                messages: [
                    `container ${quoted} sets REDIS_URL as a literal value: read it from a Secret with valueFrom.secretKeyRef; reads REDIS_PASSWORD from a ConfigMap, which is stored and shown in plain text: use a Secret`,
                ],
            },
        ],
    },
    {
        policy: k8s.spreadReplicas,
        pass: [good, { title: "a single replica", fixture: sts({}, { replicas: 1 }, { affinity: undefined }) }, { title: "topology spread", fixture: sts({}, {}, { affinity: undefined, topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule" }] }) }],
        flag: [{ title: "3 replicas, no spread", fixture: sts({}, {}, { affinity: undefined }), messages: ["3 replicas without podAntiAffinity or topologySpreadConstraints: they may all land on one node or zone"] }],
    },
    {
        policy: k8s.networkPolicyCoverage,
        pass: [
            { title: "a policy selecting the pods by label", fixture: withWorkload(networkPolicy({ matchLabels: { "app.kubernetes.io/name": "redis" } })) },
            { title: "a policy selecting every pod of the namespace", fixture: withWorkload(networkPolicy({})) },
            { title: "a matchExpressions selector", fixture: withWorkload(networkPolicy({ matchExpressions: [{ key: "app.kubernetes.io/component", operator: "In", values: ["data", "sentinel"] }] })) },
        ],
        flag: [
            {
                title: "no policy",
                fixture: withWorkload(),
                messages: ['redis: no NetworkPolicy restricting ingress selects its pods (labels {"app.kubernetes.io/name":"redis","app.kubernetes.io/component":"data"})'],
            },
            {
                title: "an egress-only policy",
                fixture: withWorkload({ ...networkPolicy({}), props: { metadata: { namespace: "redis" }, spec: { podSelector: {}, policyTypes: ["Egress"] } } }),
                messages: ['redis: no NetworkPolicy restricting ingress selects its pods (labels {"app.kubernetes.io/name":"redis","app.kubernetes.io/component":"data"})'],
            },
            {
                title: "a policy in another namespace",
                fixture: withWorkload(networkPolicy({}, "default")),
                messages: ['redis: no NetworkPolicy restricting ingress selects its pods (labels {"app.kubernetes.io/name":"redis","app.kubernetes.io/component":"data"})'],
            },
        ],
    },
    {
        policy: k8s.pdbPerStatefulSet,
        pass: [{ title: "a PDB on the same labels", fixture: withWorkload(budget({ matchLabels: LABELS })) }],
        flag: [
            {
                title: "a PDB selecting other pods",
                fixture: withWorkload(budget({ matchLabels: { "app.kubernetes.io/name": "grafana" } })),
                messages: ['redis: no PodDisruptionBudget selects its pods (labels {"app.kubernetes.io/name":"redis","app.kubernetes.io/component":"data"})'],
            },
        ],
    },
];
