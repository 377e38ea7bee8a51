import { DOCKER, KUBERNETES } from "../../../policies/rules/lib/types";
import * as pods from "../../../policies/rules/podSecurity";
import { one, RuleCase } from "../helpers";
import { GOOD_CONTAINER, statefulSet } from "./kubernetes";

const SECCOMP = { seccompProfile: { type: "RuntimeDefault" } };
const sts = (container: Record<string, unknown> = {}, podSpec: Record<string, unknown> = {}) => one(KUBERNETES.statefulSet, statefulSet(container, {}, { securityContext: SECCOMP, ...podSpec }));
const good = { title: "a hardened StatefulSet", fixture: sts() };
const dockerContainer = (props: Record<string, unknown> = {}) => one(DOCKER.container, { image: `sha256:${"a".repeat(64)}`, capabilities: { drops: ["ALL"] }, networksAdvanced: [{ name: "redis" }], ...props });
const goodDocker = { title: "a container on its own network, dropping ALL", fixture: dockerContainer() };

/** Fixtures of the pod- and container-security rules. */
export const POD_SECURITY_CASES: RuleCase[] = [
    {
        policy: pods.k8sNoHostNamespaces,
        pass: [good, { title: "a containerPort without hostPort", fixture: sts({ ports: [{ name: "redis", containerPort: 6379 }] }) }],
        flag: [
            {
                title: "host network, PID and IPC, and a hostPort",
                fixture: sts({ ports: [{ containerPort: 6379, hostPort: 6379 }] }, { hostNetwork: true, hostPID: true, hostIPC: true }),
                messages: [
                    'container "redis" binds hostPort 6379 on the node\'s addresses: reach it through a Service instead',
                    "the pod sets hostNetwork: true, hostPID: true, hostIPC: true: remove it so the pod keeps its own namespaces",
                ],
            },
        ],
    },
    {
        policy: pods.k8sNoHostPath,
        pass: [good, { title: "ConfigMap, Secret and emptyDir volumes", fixture: sts({}, { volumes: [{ name: "conf", configMap: { name: "c" } }, { name: "tls", secret: { secretName: "t" } }, { name: "tmp", emptyDir: {} }] }) }],
        flag: [
            {
                title: "the node's /var/lib mounted",
                fixture: sts({}, { volumes: [{ name: "data", hostPath: { path: "/var/lib/redis" } }] }),
                messages: ['volume "data" mounts the node\'s "/var/lib/redis": use a PersistentVolumeClaim, ConfigMap or Secret'],
            },
        ],
    },
    {
        policy: pods.k8sSeccompProfile,
        pass: [good, { title: "a container-level Localhost profile", fixture: sts({ securityContext: { ...GOOD_CONTAINER.securityContext, seccompProfile: { type: "Localhost", localhostProfile: "redis.json" } } }, { securityContext: {} }) }],
        flag: [
            { title: "no profile at all", fixture: sts({}, { securityContext: {} }), messages: ['container "redis" runs with seccomp profile unset: set securityContext.seccompProfile.type: RuntimeDefault'] },
            {
                title: "a container switching the pod's profile off",
                fixture: sts({ securityContext: { ...GOOD_CONTAINER.securityContext, seccompProfile: { type: "Unconfined" } } }),
                messages: ['container "redis" runs with seccomp profile Unconfined: set securityContext.seccompProfile.type: RuntimeDefault'],
            },
        ],
    },
    {
        policy: pods.k8sNoAddedCapabilities,
        pass: [
            good,
            {
                title: "an allowed capability",
                fixture: { ...sts({ securityContext: { ...GOOD_CONTAINER.securityContext, capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] } } }), config: { allowedCapabilities: ["NET_BIND_SERVICE"] } },
            },
        ],
        flag: [
            {
                title: "drop ALL, then add some back",
                fixture: sts({ securityContext: { ...GOOD_CONTAINER.securityContext, capabilities: { drop: ["ALL"], add: ["SYS_ADMIN", "CAP_NET_RAW"] } } }),
                messages: ['container "redis" adds capabilities SYS_ADMIN, CAP_NET_RAW: Redis needs none; remove securityContext.capabilities.add'],
            },
        ],
    },
    {
        policy: pods.dockerNoAddedCapabilities,
        pass: [goodDocker],
        flag: [{ title: "capabilities added back", fixture: dockerContainer({ capabilities: { drops: ["ALL"], adds: ["NET_ADMIN"] } }), messages: ["capabilities.adds is NET_ADMIN: Redis needs none; drop ALL and add nothing"] }],
    },
    {
        policy: pods.dockerNoHostNamespaces,
        pass: [goodDocker, { title: "another container's namespace", fixture: dockerContainer({ networkMode: "container:redis-netns" }) }],
        flag: [
            {
                title: "host network and PID namespace",
                fixture: dockerContainer({ networkMode: "host", pidMode: "host" }),
                messages: ['networkMode is "host", pidMode is "host": the container would share the host\'s namespaces; use a bridge network and the defaults'],
            },
        ],
    },
    {
        policy: pods.dockerNoEngineSocket,
        pass: [goodDocker, { title: "a named volume and a bind of a config folder", fixture: dockerContainer({ volumes: [{ volumeName: "data", containerPath: "/data" }, { hostPath: "/etc/redis-conf", containerPath: "/etc/redis" }] }) }],
        flag: [
            {
                title: "the Docker socket as a volume and containerd's as a mount",
                fixture: dockerContainer({ volumes: [{ hostPath: "/var/run/docker.sock", containerPath: "/var/run/docker.sock" }], mounts: [{ type: "bind", source: "/run/containerd/containerd.sock", target: "/c.sock" }] }),
                messages: [
                    'mounts "/run/containerd/containerd.sock": access to the container engine is root on the host; remove the mount',
                    'mounts "/var/run/docker.sock": access to the container engine is root on the host; remove the mount',
                ],
            },
        ],
    },
];
