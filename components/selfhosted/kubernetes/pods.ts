import * as path from "node:path";
import type { IStatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import type { IJob } from "kubernetes-models/batch/v1/Job";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IPodSecurityContext } from "kubernetes-models/v1/PodSecurityContext";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import type { IProbe } from "kubernetes-models/v1/Probe";
import type { ISecurityContext } from "kubernetes-models/v1/SecurityContext";
import type { ITopologySpreadConstraint } from "kubernetes-models/v1/TopologySpreadConstraint";
import type { IVolume } from "kubernetes-models/v1/Volume";
import type { IVolumeMount } from "kubernetes-models/v1/VolumeMount";
import { CONTAINER_PATHS } from "../../redisconf/layout";
import { PRESTOP_TIMEOUT_SECONDS } from "../../redisconf/scripts/preStop";
import type { EngineName } from "../../redisconf/engines";
import type { DataNode, SentinelNode, Topology } from "../../redisconf/topology";
import type { PinnedImage } from "../images";
import { CLUSTER_CREATE_ENV_KEY, EXPORTER_PASSWORDS_KEY, POD_ENV_FILE, runScriptCommand, SCRIPTS_DIR } from "./files";
import { podTlsDir, TLS_ROOT } from "./layout";
import {
    CLUSTER_BUS_PORT,
    EXPORTER_PORT,
    KubernetesNames,
    labelsFor,
    PodComponent,
    PORT_NAMES,
    podName,
    REDIS_PORT,
    selectorFor,
    SENTINEL_PORT,
    tlsSecretName,
} from "./names";
import { reloadContainer } from "./reload";

export { runScriptCommand } from "./files";

/**
 * The pods of a deployment as plain manifests: the data nodes' and sentinels' StatefulSets and the
 * cluster-init Job. Pure; the component only adds the content digest and registers them.
 */

/** What the pod manifests are built from. */
export interface PodPlan {
    names: KubernetesNames;
    topology: Topology;
    /** The engine image. */
    image: PinnedImage;
    /** The engine the image runs: it decides how the reload sidecar applies a changed ACL file. */
    engine: { name: EngineName; version: string };
    /** The redis_exporter image. */
    exporterImage: PinnedImage;
    tls: boolean;
    /** Whether each pod gets an exporter sidecar (`monitoring.enabled`). */
    exporter: boolean;
    /** `prod` schedules with hard spreading constraints, other environments with soft ones. */
    environment: "dev" | "staging" | "prod";
    /** Each data node's CPU and memory, requested and limited alike. */
    resources: { cpu: string; memoryMiB: number };
    /** Each data node's volume. */
    storage: { sizeMiB: number; className?: string };
    priorityClassName?: string;
    /** `net.core.somaxconn` through pod sysctls, when the nodes' kubelets allow it. */
    somaxconn?: number;
    /** The system users whose password files exist (see `systemUserNames`). */
    systemUsers: readonly string[];
}

/** Resources of a sentinel container: a sentinel holds a few kilobytes of state. */
export const SENTINEL_RESOURCES = { cpu: "100m", memory: "128Mi" } as const;
/** Resources of an exporter sidecar. */
export const EXPORTER_RESOURCES = { cpu: "50m", memory: "64Mi" } as const;
/** Resources of the cluster-init job. */
export const JOB_RESOURCES = { cpu: "100m", memory: "64Mi" } as const;
/** Each sentinel's volume: its learned state (id, epochs, known peers) only. */
export const SENTINEL_STORAGE_MIB = 1024;

/** Seconds `redis-prestop.sh` waits for a handover at most: the script's own default, imported from its renderer. */
export { PRESTOP_TIMEOUT_SECONDS };
/** Seconds a data node gets after its preStop to save its dataset and exit on SIGTERM. */
export const SHUTDOWN_SECONDS = 30;
/** Seconds a sentinel gets to stop. */
export const SENTINEL_GRACE_SECONDS = 30;

/** The annotation holding the digest of what a pod mounts. */
export const CONTENT_HASH_ANNOTATION = "redisplatform.io/content-hash";

const ZONE_KEY = "topology.kubernetes.io/zone";
const HOST_KEY = "kubernetes.io/hostname";
const EXPORTER_DIR = "/etc/redis-exporter";

/** The TLS files a node reads, by the name their Secret keys carry (the file names in `CONTAINER_PATHS.tls`). */
export const TLS_FILES = {
    cert: path.posix.basename(CONTAINER_PATHS.tls.certFile),
    key: path.posix.basename(CONTAINER_PATHS.tls.keyFile),
    ca: path.posix.basename(CONTAINER_PATHS.tls.caFile),
    clientCert: path.posix.basename(CONTAINER_PATHS.tls.clientCertFile),
    clientKey: path.posix.basename(CONTAINER_PATHS.tls.clientKeyFile),
} as const;

for (const file of Object.values(CONTAINER_PATHS.tls)) {
    // One projected volume is mounted as the TLS directory; a file elsewhere would need a mount of its own.
    if (path.posix.dirname(file) !== TLS_ROOT) {
        throw new Error(`CONTAINER_PATHS.tls puts ${file} outside ${TLS_ROOT}: the Kubernetes platform mounts one TLS directory`);
    }
}

/** The users whose passwords a data node's scripts and probes read (not `backup`, which only the backup job uses). */
export function dataNodePasswordUsers(systemUsers: readonly string[]): string[] {
    return systemUsers.filter((user) => user !== "backup");
}

/** The users whose passwords a sentinel's script and probes read. */
export const SENTINEL_PASSWORD_USERS = ["sentinel", "monitor"] as const;

/**
 * The preStop hook: the rendered `redis-prestop.sh` with the pod's environment. Its log goes to the
 * container's stderr (hook output is otherwise lost) when that is writable.
 */
export function preStopCommand(): string[] {
    const script = `${SCRIPTS_DIR}/redis-prestop.sh`;
    return [
        "/bin/sh",
        "-c",
        `set -a && . ${POD_ENV_FILE} && set +a && if [ -w /proc/1/fd/2 ]; then exec /bin/sh ${script} 2>/proc/1/fd/2; else exec /bin/sh ${script}; fi`,
    ];
}

/**
 * `redis-cli` as the monitor user against the local process, the password read from its mounted file and
 * the TLS files from the pod's own directory (`$POD_NAME` comes from the container's environment, which
 * probes run with).
 */
export function monitorCli(port: number, tls: boolean): string {
    const dir = podTlsDir("$POD_NAME");
    const tlsArgs = tls ? ` --tls --cacert ${dir}/${TLS_FILES.ca} --cert ${dir}/${TLS_FILES.clientCert} --key ${dir}/${TLS_FILES.clientKey}` : "";
    return `REDISCLI_AUTH="$(cat ${CONTAINER_PATHS.passwordDir}/monitor)" redis-cli${tlsArgs} --user monitor -h 127.0.0.1 -p ${port}`;
}

/** The shell checks of a data node's probes. */
export function dataNodeProbeScripts(topologyKind: Topology["kind"], tls: boolean): { alive: string; ready: string } {
    const cli = monitorCli(REDIS_PORT, tls);
    // LOADING and MASTERDOWN answers mean the process is alive and busy: restarting it would only start over.
    const alive = `out=$(${cli} PING 2>&1); case "$out" in *PONG*|*LOADING*|*MASTERDOWN*) exit 0 ;; esac; echo "$out"; exit 1`;
    const ready = [
        `info=$(${cli} INFO persistence replication 2>&1 | tr -d '\\r') || { echo "$info"; exit 1; }`,
        `case "$info" in *loading:1*) echo "loading the dataset"; exit 1 ;; esac`,
        // A replica that has not finished its sync, or lost its primary, must take no reads and must not count as available.
        `case "$info" in *role:master*) ;; *role:slave*master_link_status:up*) ;; *) echo "not a primary and no live link to one"; exit 1 ;; esac`,
        ...(topologyKind === "cluster"
            ? [`state=$(${cli} CLUSTER INFO 2>&1 | tr -d '\\r'); case "$state" in *cluster_state:ok*) ;; *) echo "cluster state is not ok"; exit 1 ;; esac`]
            : []),
        "exit 0",
    ].join("\n");
    return { alive, ready };
}

/** The shell checks of a sentinel's probes. */
export function sentinelProbeScripts(tls: boolean): { alive: string; ready: string } {
    const cli = monitorCli(SENTINEL_PORT, tls);
    return {
        alive: `out=$(${cli} PING 2>&1); case "$out" in *PONG*) exit 0 ;; esac; echo "$out"; exit 1`,
        ready: `out=$(${cli} INFO sentinel 2>&1); case "$out" in *status=ok*) exit 0 ;; esac; echo "the sentinel does not see a healthy primary"; exit 1`,
    };
}

function execProbe(script: string, periodSeconds: number, failureThreshold: number): IProbe {
    return { exec: { command: ["/bin/sh", "-c", script] }, periodSeconds, timeoutSeconds: 5, failureThreshold, successThreshold: 1 };
}

/**
 * Startup, liveness and readiness probes. Startup allows 5 minutes: a data node's start script waits up to
 * a minute for the sentinels, then the dataset loads.
 */
export function probes(scripts: { alive: string; ready: string }): Pick<IContainer, "startupProbe" | "livenessProbe" | "readinessProbe"> {
    return {
        startupProbe: execProbe(scripts.alive, 5, 60),
        livenessProbe: execProbe(scripts.alive, 10, 6),
        readinessProbe: execProbe(scripts.ready, 5, 3),
    };
}

/** The pod security context: the image's unprivileged account, RuntimeDefault seccomp, optional somaxconn. */
export function podSecurityContext(image: PinnedImage, somaxconn: number | undefined): IPodSecurityContext {
    return {
        runAsNonRoot: true,
        runAsUser: image.uid,
        runAsGroup: image.gid,
        fsGroup: image.gid,
        fsGroupChangePolicy: "OnRootMismatch",
        seccompProfile: { type: "RuntimeDefault" },
        ...(somaxconn === undefined ? {} : { sysctls: [{ name: "net.core.somaxconn", value: String(somaxconn) }] }),
    };
}

/** Every container's security context: nothing to escalate to, nothing to write outside its volumes. */
export const CONTAINER_SECURITY_CONTEXT: ISecurityContext = {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    capabilities: { drop: ["ALL"] },
};

/**
 * The security context of a container in a pod of its own (monitoring, backups): {@link CONTAINER_SECURITY_CONTEXT}
 * with the image's account and RuntimeDefault seccomp set on the container itself.
 */
export function hardenedContainerSecurity(image: Pick<PinnedImage, "uid" | "gid">): ISecurityContext {
    return { ...CONTAINER_SECURITY_CONTEXT, runAsUser: image.uid, runAsGroup: image.gid, seccompProfile: { type: "RuntimeDefault" } };
}

/**
 * Spreading across zones and nodes: `DoNotSchedule` in prod (a pod stays pending rather than share a zone or
 * node unevenly), `ScheduleAnyway` elsewhere (a small cluster still runs everything).
 */
export function spreadConstraints(selector: Record<string, string>, environment: PodPlan["environment"]): ITopologySpreadConstraint[] {
    const whenUnsatisfiable = environment === "prod" ? "DoNotSchedule" : "ScheduleAnyway";
    return [ZONE_KEY, HOST_KEY].map((topologyKey) => ({ maxSkew: 1, topologyKey, whenUnsatisfiable, labelSelector: { matchLabels: { ...selector } } }));
}

/** Seconds a data node gets to stop: the preStop handover, then the final save. */
export function dataNodeGraceSeconds(): number {
    return PRESTOP_TIMEOUT_SECONDS + SHUTDOWN_SECONDS;
}

const POD_NAME_ENV = { name: "POD_NAME", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "metadata.name" } } };

function tlsProjection(names: KubernetesNames, nodes: readonly (DataNode | SentinelNode)[]): IVolume {
    return {
        name: "tls",
        projected: {
            defaultMode: 0o440,
            sources: nodes.map((node) => ({
                secret: {
                    name: tlsSecretName(names, node),
                    items: Object.values(TLS_FILES).map((file) => ({ key: file, path: `${podName(names, node)}/${file}` })),
                },
            })),
        },
    };
}

function exporterContainer(plan: PodPlan, kind: "redis" | "sentinel"): IContainer {
    const port = kind === "redis" ? REDIS_PORT : SENTINEL_PORT;
    const target = `${plan.tls ? "rediss" : "redis"}://$(POD_NAME).${plan.names.headlessService}.${plan.names.namespace}.svc.${plan.names.clusterDomain}:${port}`;
    const env = [
        POD_NAME_ENV,
        { name: "REDIS_ADDR", value: target },
        { name: "REDIS_USER", value: "monitor" },
        { name: "REDIS_PASSWORD_FILE", value: `${EXPORTER_DIR}/auth/${EXPORTER_PASSWORDS_KEY}` },
        ...(plan.tls
            ? [
                  { name: "REDIS_EXPORTER_TLS_CA_CERT_FILE", value: `${EXPORTER_DIR}/tls/${TLS_FILES.ca}` },
                  { name: "REDIS_EXPORTER_TLS_CLIENT_CERT_FILE", value: `${EXPORTER_DIR}/tls/${TLS_FILES.clientCert}` },
                  { name: "REDIS_EXPORTER_TLS_CLIENT_KEY_FILE", value: `${EXPORTER_DIR}/tls/${TLS_FILES.clientKey}` },
              ]
            : []),
        { name: "REDIS_EXPORTER_WEB_LISTEN_ADDRESS", value: `:${EXPORTER_PORT}` },
        // Sentinels have no CONFIG command; skipping it keeps every scrape free of errors.
        ...(kind === "sentinel" ? [{ name: "REDIS_EXPORTER_CONFIG_COMMAND", value: "-" }] : []),
    ];
    return {
        name: "exporter",
        image: plan.exporterImage.ref,
        imagePullPolicy: "IfNotPresent",
        env,
        ports: [{ name: PORT_NAMES.metrics, containerPort: EXPORTER_PORT, protocol: "TCP" as const }],
        resources: { requests: { ...EXPORTER_RESOURCES }, limits: { ...EXPORTER_RESOURCES } },
        securityContext: CONTAINER_SECURITY_CONTEXT,
        volumeMounts: [
            // Siblings, not nested: a mount point inside a read-only volume cannot be created.
            { name: "exporter", mountPath: `${EXPORTER_DIR}/auth`, readOnly: true },
            ...(plan.tls ? [{ name: "exporter-tls", mountPath: `${EXPORTER_DIR}/tls`, readOnly: true }] : []),
        ],
    };
}

function exporterVolumes(plan: PodPlan): IVolume[] {
    if (!plan.exporter) {
        return [];
    }
    return [
        { name: "exporter", secret: { secretName: plan.names.exporterSecret, defaultMode: 0o440 } },
        ...(plan.tls ? [{ name: "exporter-tls", secret: { secretName: plan.names.tlsClientSecret, defaultMode: 0o440 } }] : []),
    ];
}

function commonMounts(plan: PodPlan, configVolume: string): IVolumeMount[] {
    return [
        { name: "data", mountPath: CONTAINER_PATHS.dataDir },
        { name: configVolume, mountPath: CONTAINER_PATHS.configFile, subPathExpr: "$(POD_NAME).conf", readOnly: true },
        { name: "node-files", mountPath: POD_ENV_FILE, subPathExpr: "$(POD_NAME).env", readOnly: true },
        { name: "scripts", mountPath: SCRIPTS_DIR, readOnly: true },
        { name: "passwords", mountPath: CONTAINER_PATHS.passwordDir, readOnly: true },
        // The whole directory, every pod's certificates under its pod name: kubelet never updates a subPath mount.
        ...(plan.tls ? [{ name: "tls", mountPath: TLS_ROOT, readOnly: true }] : []),
        { name: "tmp", mountPath: "/tmp" },
    ];
}

function commonVolumes(plan: PodPlan, users: readonly string[], nodes: readonly (DataNode | SentinelNode)[], nodeFiles: string): IVolume[] {
    return [
        { name: "node-files", configMap: { name: nodeFiles, defaultMode: 0o444 } },
        { name: "scripts", configMap: { name: plan.names.scriptsConfigMap, defaultMode: 0o555 } },
        { name: "passwords", secret: { secretName: plan.names.passwordsSecret, defaultMode: 0o440, items: users.map((user) => ({ key: user, path: user })) } },
        ...(plan.tls ? [tlsProjection(plan.names, nodes)] : []),
        { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
    ];
}

function podTemplateMetadata(plan: PodPlan, component: "redis" | "sentinel", contentHash: string) {
    return {
        labels: labelsFor(plan.names, component),
        annotations: {
            [CONTENT_HASH_ANNOTATION]: contentHash,
            "kubectl.kubernetes.io/default-container": component,
            ...(plan.exporter ? { "prometheus.io/scrape": "true", "prometheus.io/port": String(EXPORTER_PORT), "prometheus.io/path": "/metrics" } : {}),
        },
    };
}

function basePodSpec(plan: PodPlan, component: "redis" | "sentinel"): Pick<
    IPodSpec,
    "automountServiceAccountToken" | "enableServiceLinks" | "securityContext" | "topologySpreadConstraints" | "priorityClassName"
> {
    return {
        automountServiceAccountToken: false,
        // Service links would inject REDIS_PORT=tcp://... for a Service named "redis", shadowing the scripts' variables.
        enableServiceLinks: false,
        securityContext: podSecurityContext(plan.image, plan.somaxconn),
        topologySpreadConstraints: spreadConstraints(selectorFor(plan.names, component), plan.environment),
        ...(plan.priorityClassName === undefined ? {} : { priorityClassName: plan.priorityClassName }),
    };
}

function volumeClaimTemplate(plan: PodPlan, component: "redis" | "sentinel", sizeMiB: number) {
    return {
        metadata: { name: "data", labels: labelsFor(plan.names, component) },
        spec: {
            accessModes: ["ReadWriteOnce" as const],
            ...(plan.storage.className === undefined ? {} : { storageClassName: plan.storage.className }),
            resources: { requests: { storage: `${sizeMiB}Mi` } },
        },
    };
}

function statefulSet(plan: PodPlan, component: "redis" | "sentinel", replicas: number, spec: IPodSpec, contentHash: string, sizeMiB: number): IStatefulSet {
    const name = component === "redis" ? plan.names.dataStatefulSet : plan.names.sentinelStatefulSet;
    return {
        apiVersion: "apps/v1",
        kind: "StatefulSet",
        metadata: { name, namespace: plan.names.namespace, labels: labelsFor(plan.names, component) },
        spec: {
            serviceName: plan.names.headlessService,
            replicas,
            // Pods start together: a data node waits for the sentinels, and a cluster forms only once every node runs.
            podManagementPolicy: "Parallel",
            updateStrategy: { type: "RollingUpdate" },
            selector: { matchLabels: selectorFor(plan.names, component) },
            persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
            template: { metadata: podTemplateMetadata(plan, component, contentHash), spec },
            volumeClaimTemplates: [volumeClaimTemplate(plan, component, sizeMiB)],
        },
    };
}

/**
 * The data nodes' StatefulSet. Every pod runs `redis-start.sh` with its own rendered environment and config
 * (selected by pod name), hands over in its preStop, and is ready only when it is a primary or a replica
 * whose link to its primary is up (and, in a cluster, when the cluster state is ok). Its `reload` sidecar
 * applies a changed ACL file, password or certificate to the running node (see `reloadContainer`).
 *
 * @param contentHash the digest of what the pods read only at start (see `dataNodeDigestInputs`)
 */
export function dataStatefulSet(plan: PodPlan, contentHash: string): IStatefulSet {
    const { names, topology } = plan;
    const memory = `${plan.resources.memoryMiB}Mi`;
    const redis: IContainer = {
        name: "redis",
        image: plan.image.ref,
        imagePullPolicy: "IfNotPresent",
        command: runScriptCommand("redis-start.sh"),
        env: [POD_NAME_ENV],
        ports: [
            { name: PORT_NAMES.redis, containerPort: REDIS_PORT, protocol: "TCP" as const },
            ...(topology.kind === "cluster" ? [{ name: PORT_NAMES.clusterBus, containerPort: CLUSTER_BUS_PORT, protocol: "TCP" as const }] : []),
        ],
        resources: { requests: { cpu: plan.resources.cpu, memory }, limits: { cpu: plan.resources.cpu, memory } },
        securityContext: CONTAINER_SECURITY_CONTEXT,
        volumeMounts: [
            ...commonMounts(plan, "node-files"),
            { name: "acl", mountPath: path.posix.dirname(CONTAINER_PATHS.aclFile), readOnly: true },
        ],
        ...probes(dataNodeProbeScripts(topology.kind, plan.tls)),
        lifecycle: { preStop: { exec: { command: preStopCommand() } } },
    };
    const spec: IPodSpec = {
        ...basePodSpec(plan, "redis"),
        terminationGracePeriodSeconds: dataNodeGraceSeconds(),
        containers: [redis, reloadContainer(redis, plan.engine, plan.tls), ...(plan.exporter ? [exporterContainer(plan, "redis")] : [])],
        volumes: [
            ...commonVolumes(plan, dataNodePasswordUsers(plan.systemUsers), topology.dataNodes, names.nodesConfigMap),
            { name: "acl", secret: { secretName: names.aclSecret, defaultMode: 0o440, items: [{ key: path.posix.basename(CONTAINER_PATHS.aclFile), path: path.posix.basename(CONTAINER_PATHS.aclFile) }] } },
            ...exporterVolumes(plan),
        ],
    };
    return statefulSet(plan, "redis", topology.dataNodes.length, spec, contentHash, plan.storage.sizeMiB);
}

/**
 * The sentinels' StatefulSet. Each pod runs `sentinel-start.sh` with its own environment and `sentinel.conf`
 * template (from a Secret: it carries password hashes); the volume keeps what the sentinel learned.
 */
export function sentinelStatefulSet(plan: PodPlan, contentHash: string): IStatefulSet {
    const { names, topology } = plan;
    const sentinel: IContainer = {
        name: "sentinel",
        image: plan.image.ref,
        imagePullPolicy: "IfNotPresent",
        command: runScriptCommand("sentinel-start.sh"),
        env: [POD_NAME_ENV],
        ports: [{ name: PORT_NAMES.sentinel, containerPort: SENTINEL_PORT, protocol: "TCP" as const }],
        resources: { requests: { ...SENTINEL_RESOURCES }, limits: { ...SENTINEL_RESOURCES } },
        securityContext: CONTAINER_SECURITY_CONTEXT,
        volumeMounts: commonMounts(plan, "sentinel-config"),
        ...probes(sentinelProbeScripts(plan.tls)),
    };
    const spec: IPodSpec = {
        ...basePodSpec(plan, "sentinel"),
        terminationGracePeriodSeconds: SENTINEL_GRACE_SECONDS,
        containers: [sentinel, ...(plan.exporter ? [exporterContainer(plan, "sentinel")] : [])],
        volumes: [
            ...commonVolumes(plan, SENTINEL_PASSWORD_USERS, topology.sentinels, names.sentinelNodesConfigMap),
            { name: "sentinel-config", secret: { secretName: names.sentinelConfigSecret, defaultMode: 0o440 } },
            ...exporterVolumes(plan),
        ],
    };
    return statefulSet(plan, "sentinel", topology.sentinels.length, spec, contentHash, SENTINEL_STORAGE_MIB);
}

/**
 * The Job that runs `cluster-create.sh` once the data nodes run. The script is idempotent (a formed cluster
 * is only checked for health), so the Job may run again whenever its spec changes.
 *
 * @param contentHash the digest of the script and its environment, so a change replaces the Job
 */
export function clusterInitJob(plan: PodPlan, contentHash: string): IJob {
    const { names } = plan;
    return scriptJob(plan, {
        name: names.clusterInitJob,
        component: "cluster-init",
        container: "cluster-create",
        command: runScriptCommand("cluster-create.sh"),
        users: ["admin"],
        envFile: { volume: { name: "node-files", configMap: { name: names.nodesConfigMap, defaultMode: 0o444 } }, key: CLUSTER_CREATE_ENV_KEY },
        backoffLimit: 10,
        activeDeadlineSeconds: 1800,
        contentHash,
    });
}

/** What a Job running one rendered script is made of (see {@link scriptJob}). */
export interface ScriptJobSpec {
    name: string;
    component: PodComponent;
    container: string;
    command: string[];
    /** Environment variables set on the container, when the script's environment is not in a file. */
    env?: Record<string, string>;
    /** A ConfigMap volume and the key of the environment file in it, mounted at `POD_ENV_FILE`. */
    envFile?: { volume: IVolume; key: string };
    /** The users whose password files the script reads. */
    users: readonly string[];
    backoffLimit: number;
    activeDeadlineSeconds: number;
    /** The digest of what the Job does, in its pod template, so a change replaces the Job. */
    contentHash: string;
}

/**
 * A Job that runs one rendered script with the scripts ConfigMap, the named users' password files, and the
 * shared client certificate where the first data node's environment expects its TLS files (the scripts run
 * with that environment). Never restarted in place; retried by the Job up to `backoffLimit` times.
 *
 * @throws Error when the topology has no data node
 */
export function scriptJob(plan: PodPlan, spec: ScriptJobSpec): IJob {
    const { names } = plan;
    // The job runs with the first data node's environment, whose TLS paths name that node's pod directory.
    const first = plan.topology.dataNodes[0];
    if (first === undefined) {
        throw new Error(`the ${spec.component} job needs a data node: the topology has none`);
    }
    const container: IContainer = {
        name: spec.container,
        image: plan.image.ref,
        imagePullPolicy: "IfNotPresent",
        command: spec.command,
        ...(spec.env === undefined ? {} : { env: Object.entries(spec.env).map(([name, value]) => ({ name, value })) }),
        resources: { requests: { ...JOB_RESOURCES }, limits: { ...JOB_RESOURCES } },
        securityContext: CONTAINER_SECURITY_CONTEXT,
        volumeMounts: [
            ...(spec.envFile ? [{ name: spec.envFile.volume.name, mountPath: POD_ENV_FILE, subPath: spec.envFile.key, readOnly: true }] : []),
            { name: "scripts", mountPath: SCRIPTS_DIR, readOnly: true },
            { name: "passwords", mountPath: CONTAINER_PATHS.passwordDir, readOnly: true },
            ...(plan.tls ? [{ name: "tls", mountPath: podTlsDir(podName(names, first)), readOnly: true }] : []),
            { name: "tmp", mountPath: "/tmp" },
        ],
    };
    return {
        apiVersion: "batch/v1",
        kind: "Job",
        metadata: { name: spec.name, namespace: names.namespace, labels: labelsFor(names, spec.component) },
        spec: {
            backoffLimit: spec.backoffLimit,
            activeDeadlineSeconds: spec.activeDeadlineSeconds,
            template: {
                metadata: { labels: labelsFor(names, spec.component), annotations: { [CONTENT_HASH_ANNOTATION]: spec.contentHash } },
                spec: {
                    restartPolicy: "Never",
                    automountServiceAccountToken: false,
                    enableServiceLinks: false,
                    securityContext: podSecurityContext(plan.image, undefined),
                    ...(plan.priorityClassName === undefined ? {} : { priorityClassName: plan.priorityClassName }),
                    containers: [container],
                    volumes: [
                        ...(spec.envFile ? [spec.envFile.volume] : []),
                        { name: "scripts", configMap: { name: names.scriptsConfigMap, defaultMode: 0o555 } },
                        { name: "passwords", secret: { secretName: names.passwordsSecret, defaultMode: 0o440, items: spec.users.map((user) => ({ key: user, path: user })) } },
                        ...(plan.tls ? [{ name: "tls", secret: { secretName: names.tlsClientSecret, defaultMode: 0o440 } }] : []),
                        { name: "tmp", emptyDir: { sizeLimit: "16Mi" } },
                    ],
                },
            },
        },
    };
}
