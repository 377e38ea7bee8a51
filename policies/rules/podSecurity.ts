import type { ResourceValidationPolicy } from "@pulumi/policy";
import { resourceRule } from "./lib/define";
import { eachContainer, effective, podTemplateOf, WORKLOAD_TYPES } from "./lib/pods";
import { DOCKER } from "./lib/types";
import { at, numeric, records, strings, text } from "./lib/values";

/** Sharing the node's network, process or IPC namespace lets the pod see and reach what the node does. */
export const k8sNoHostNamespaces = resourceRule({
    name: "k8s-no-host-namespaces",
    description: "Pods do not share the node's network, PID or IPC namespace and bind no hostPort.",
    enforcementLevel: "mandatory",
    types: WORKLOAD_TYPES,
    check: (props, report, _config, args) => {
        const template = podTemplateOf(args.type, props);
        if (template === undefined) {
            return;
        }
        const shared = ["hostNetwork", "hostPID", "hostIPC"].filter((key) => template.spec[key] === true);
        if (shared.length > 0) {
            report(`the pod sets ${shared.map((key) => `${key}: true`).join(", ")}: remove it so the pod keeps its own namespaces`);
        }
        eachContainer(args.type, props, report, (container) => {
            const hostPorts = records(container.ports)
                .map((port) => numeric(port.hostPort))
                .filter((port): port is number => port !== undefined && port > 0);
            return hostPorts.length > 0 ? `binds hostPort ${hostPorts.join(", ")} on the node's addresses: reach it through a Service instead` : undefined;
        });
    },
});

/** A hostPath volume reads or writes the node's filesystem, the way out of the container. */
export const k8sNoHostPath = resourceRule({
    name: "k8s-no-host-path",
    description: "Pods mount no hostPath volume.",
    enforcementLevel: "mandatory",
    types: WORKLOAD_TYPES,
    check: (props, report, _config, args) => {
        const template = podTemplateOf(args.type, props);
        for (const volume of records(template?.spec.volumes).filter((candidate) => candidate.hostPath !== undefined)) {
            report(`volume ${JSON.stringify(volume.name ?? "?")} mounts the node's ${JSON.stringify(at(volume, "hostPath", "path") ?? "?")}: use a PersistentVolumeClaim, ConfigMap or Secret`);
        }
    },
});

const CONFINED_SECCOMP = ["RuntimeDefault", "Localhost"];

/** Without a seccomp profile a container may make any system call the kernel offers. */
export const k8sSeccompProfile = resourceRule({
    name: "k8s-seccomp-profile",
    description: "Every container runs under the RuntimeDefault or a Localhost seccomp profile (pod or container level), never Unconfined.",
    enforcementLevel: "mandatory",
    types: WORKLOAD_TYPES,
    check: (props, report, _config, args) =>
        eachContainer(args.type, props, report, (container, template) => {
            const type = text(at(effective(container, template, "seccompProfile"), "type"));
            if (type !== undefined && CONFINED_SECCOMP.includes(type)) {
                return undefined;
            }
            return `runs with seccomp profile ${type ?? "unset"}: set securityContext.seccompProfile.type: RuntimeDefault`;
        }),
});

const CAPABILITIES_CONFIG = {
    allowedCapabilities: { type: "array" as const, items: { type: "string" }, default: [], description: "Capabilities a container may add (Redis needs none)." },
};

/** The capabilities in `added` not in `allowed`, compared without the `CAP_` prefix and case. */
function unexpectedCapabilities(added: readonly string[], allowed: readonly string[]): string[] {
    const normal = (capability: string) => capability.toUpperCase().replace(/^CAP_/, "");
    const permitted = new Set(allowed.map(normal));
    return added.filter((capability) => !permitted.has(normal(capability)));
}

/** Dropping ALL means nothing if the same context adds capabilities back. */
export const k8sNoAddedCapabilities = resourceRule<{ allowedCapabilities: string[] }>({
    name: "k8s-no-added-capabilities",
    description: "No container adds a Linux capability (securityContext.capabilities.add), except those in `allowedCapabilities`.",
    enforcementLevel: "mandatory",
    config: CAPABILITIES_CONFIG,
    types: WORKLOAD_TYPES,
    check: (props, report, config, args) =>
        eachContainer(args.type, props, report, (container) => {
            const added = unexpectedCapabilities(strings(at(container, "securityContext", "capabilities", "add")), config.allowedCapabilities);
            return added.length > 0 ? `adds capabilities ${added.join(", ")}: Redis needs none; remove securityContext.capabilities.add` : undefined;
        }),
});

/** As for pods: `--cap-add` undoes `--cap-drop ALL`. */
export const dockerNoAddedCapabilities = resourceRule<{ allowedCapabilities: string[] }>({
    name: "docker-no-added-capabilities",
    description: "Docker containers add no Linux capability (capabilities.adds), except those in `allowedCapabilities`.",
    enforcementLevel: "mandatory",
    config: CAPABILITIES_CONFIG,
    types: [DOCKER.container],
    check: (props, report, config) => {
        const added = unexpectedCapabilities(strings(at(props, "capabilities", "adds")), config.allowedCapabilities);
        if (added.length > 0) {
            report(`capabilities.adds is ${added.join(", ")}: Redis needs none; drop ALL and add nothing`);
        }
    },
});

/** Host namespaces: the container sees the host's network stack, processes, IPC or user ids. */
export const dockerNoHostNamespaces = resourceRule({
    name: "docker-no-host-namespaces",
    description: "Docker containers use none of the host's namespaces (networkMode, pidMode, ipcMode or usernsMode host).",
    enforcementLevel: "mandatory",
    types: [DOCKER.container],
    check: (props, report) => {
        const shared = ["networkMode", "pidMode", "ipcMode", "usernsMode"].filter((key) => props[key] === "host");
        if (shared.length > 0) {
            report(`${shared.map((key) => `${key} is "host"`).join(", ")}: the container would share the host's namespaces; use a bridge network and the defaults`);
        }
    },
});

/** Whoever can talk to the engine's socket is root on the host. */
const ENGINE_SOCKET = /(^|\/)(docker|containerd|crio|podman)\.sock$|^\/(var\/)?run\/?$/;

/** A mounted engine socket hands the container the whole host. */
export const dockerNoEngineSocket = resourceRule({
    name: "docker-no-engine-socket",
    description: "Docker containers mount no container-engine socket (docker.sock, containerd.sock, ...) nor the whole /run.",
    enforcementLevel: "mandatory",
    types: [DOCKER.container],
    check: (props, report) => {
        const sources = [...records(props.volumes).map((volume) => text(volume.hostPath)), ...records(props.mounts).map((mount) => text(mount.source))];
        for (const source of sources.filter((candidate): candidate is string => candidate !== undefined && ENGINE_SOCKET.test(candidate))) {
            report(`mounts ${JSON.stringify(source)}: access to the container engine is root on the host; remove the mount`);
        }
    },
});

/** Every pod- and container-security rule beyond the basic ones in kubernetes.ts and docker.ts. */
export const POD_SECURITY_RULES: ResourceValidationPolicy[] = [
    k8sNoHostNamespaces,
    k8sNoHostPath,
    k8sSeccompProfile,
    k8sNoAddedCapabilities,
    dockerNoAddedCapabilities,
    dockerNoHostNamespaces,
    dockerNoEngineSocket,
];
