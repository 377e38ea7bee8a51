import { RenderedDeployment, RenderedNode, RenderedScripts } from "../../redisconf/deployment";
import type { NodePaths } from "../../redisconf/layout";
import type { ScriptEnv } from "../../redisconf/scripts/env";
import type { DataNode, SentinelNode, Topology } from "../../redisconf/topology";
import { cpuCores } from "../../redisconf/tuning";

/**
 * What each Docker container of a deployment runs and carries, decided from plain values. Pure: the
 * component only feeds resolved Outputs into these functions, and the tests call them directly.
 */

/**
 * The directory every uploaded file lives under. It is an anonymous volume of the container: Docker refuses
 * to copy files into a read-only root filesystem, but accepts them into a volume, and an anonymous volume
 * is created and removed with its container, so the files never outlive it.
 */
export const FILES_ROOT = "/etc/redis";

/** Where the rendered scripts are uploaded. */
export const SCRIPTS_DIR = `${FILES_ROOT}/scripts`;

/** The script a container of each kind runs as its entrypoint. */
export const ENTRYPOINT_SCRIPT = {
    redis: "redis-start.sh",
    sentinel: "sentinel-start.sh",
    clusterCreate: "cluster-create.sh",
} as const satisfies Record<string, keyof RenderedScripts>;

/** The path of an uploaded script. */
export function scriptPath(file: keyof RenderedScripts): string {
    return `${SCRIPTS_DIR}/${file}`;
}

/** The entrypoint of a container running a rendered script: `sh <script>`, so no file needs an exec bit. */
export function entrypointFor(script: keyof RenderedScripts): string[] {
    return ["sh", scriptPath(script)];
}

/** The environment list Docker takes (`NAME=value`), in the rendered order. */
export function envList(env: ScriptEnv): string[] {
    return Object.entries(env).map(([key, value]) => `${key}=${value}`);
}

/** The CPU limit Docker takes (`cpus`, a decimal number of cores) for a stack's CPU quantity. */
export function dockerCpus(quantity: string): string {
    return String(cpuCores(quantity));
}

/** Memory limits in MiB of the containers that are not data nodes. Data nodes get `resources.memoryMiB`. */
export const SMALL_CONTAINER_MEMORY_MIB = { sentinel: 128, holder: 16, clusterCreate: 64 } as const;

/** CPU limits of the containers that are not data nodes. */
export const SMALL_CONTAINER_CPUS = { sentinel: "0.5", holder: "0.1", clusterCreate: "0.5" } as const;

/** Open files per container: `maxclients` (10000) plus what Redis keeps for itself (32). */
export const NOFILE_LIMIT = 10032;

/** Seconds Docker waits after SIGTERM before it kills a data node: time to finish a save and close cleanly. */
export const DATA_NODE_STOP_TIMEOUT_SECONDS = 60;

/** Seconds `pulumi up` waits for a new container to report healthy before it fails. */
export const HEALTHY_WAIT_SECONDS = 180;

/** A file uploaded into a container. */
export interface UploadFile {
    /** The path inside the container. */
    file: string;
    content: string;
    /** Whether the content is a secret (a private key, a password, password hashes). */
    secret: boolean;
}

/** The PEM files of one node, when TLS is on. */
export interface NodeTlsFiles {
    caCertPem: string;
    /** The node's server certificate and key (absent for the cluster-create job). */
    server?: { certPem: string; privateKeyPem: string };
    /** The client certificate scripts present (needed with mTLS). */
    client: { certPem: string; privateKeyPem: string };
}

function tlsUploads(paths: NodePaths, tls: NodeTlsFiles | undefined): UploadFile[] {
    if (tls === undefined) {
        return [];
    }
    return [
        { file: paths.tls.caFile, content: tls.caCertPem, secret: false },
        ...(tls.server
            ? [
                  { file: paths.tls.certFile, content: tls.server.certPem, secret: false },
                  { file: paths.tls.keyFile, content: tls.server.privateKeyPem, secret: true },
              ]
            : []),
        { file: paths.tls.clientCertFile, content: tls.client.certPem, secret: false },
        { file: paths.tls.clientKeyFile, content: tls.client.privateKeyPem, secret: true },
    ];
}

function passwordUploads(paths: NodePaths, passwords: Readonly<Record<string, string>>): UploadFile[] {
    return Object.entries(passwords).map(([user, password]) => ({ file: `${paths.passwordDir}/${user}`, content: password, secret: true }));
}

/**
 * Every file a node's container gets: its rendered config, the ACL file (data nodes), the scripts it runs,
 * one password file per system user, and its TLS files.
 */
export function nodeUploads(deployment: Pick<RenderedDeployment, "usersAcl" | "scripts">, node: RenderedNode, passwords: Readonly<Record<string, string>>, tls: NodeTlsFiles | undefined): UploadFile[] {
    const { paths } = node;
    // The preStop script hands over through the switchover script beside it, when the topology has one.
    const handover: (keyof RenderedScripts)[] = deployment.scripts["redis-switchover.sh"] === undefined ? [] : ["redis-switchover.sh"];
    const scripts: (keyof RenderedScripts)[] = node.node.kind === "redis" ? ["redis-start.sh", "redis-prestop.sh", ...handover] : ["sentinel-start.sh"];
    return [
        { file: paths.configFile, content: node.config, secret: false },
        ...(node.node.kind === "redis" ? [{ file: paths.aclFile, content: deployment.usersAcl, secret: true }] : []),
        ...scripts.map((script) => ({ file: scriptPath(script), content: scriptText(deployment.scripts, script), secret: false })),
        ...passwordUploads(paths, passwords),
        ...tlsUploads(paths, tls),
    ];
}

/**
 * Every file a one-shot job container gets (cluster-create, cluster-drain, sentinel-reset, switchover): its
 * script, the passwords of the users it logs in as, and the CA and client certificate.
 */
export function jobUploads(scripts: RenderedScripts, script: keyof RenderedScripts, paths: NodePaths, passwords: Readonly<Record<string, string>>, tls: NodeTlsFiles | undefined): UploadFile[] {
    return [
        { file: scriptPath(script), content: scriptText(scripts, script), secret: false },
        ...passwordUploads(paths, passwords),
        ...tlsUploads(paths, tls === undefined ? undefined : { caCertPem: tls.caCertPem, client: tls.client }),
    ];
}

function scriptText(scripts: RenderedScripts, script: keyof RenderedScripts): string {
    const text = scripts[script];
    if (text === undefined) {
        throw new Error(`the rendered deployment has no ${script}`);
    }
    return text;
}

/**
 * The health check of a node: `redis-cli` against the node's own port as the `monitor` user, over TLS when
 * it is on. The password is piped from its file to `--askpass`, so it is in neither the command line nor
 * the environment. A data node is healthy when it is a primary or its link to its primary is up (a replica
 * that has not finished its first sync is not ready); a sentinel when it answers PING.
 */
export function healthCheckCommand(node: DataNode | SentinelNode, paths: NodePaths, tlsEnabled: boolean): string[] {
    const tls = tlsEnabled ? ` --tls --cacert ${paths.tls.caFile} --cert ${paths.tls.clientCertFile} --key ${paths.tls.clientKeyFile}` : "";
    const cli = `redis-cli${tls} --user monitor --askpass -h 127.0.0.1 -p ${node.port}`;
    const password = `${paths.passwordDir}/monitor`;
    if (node.kind === "sentinel") {
        return ["CMD-SHELL", `${cli} PING < ${password} | grep -q PONG`];
    }
    return ["CMD-SHELL", `out=$(${cli} INFO replication < ${password}) && case "$out" in *role:master*|*master_link_status:up*) exit 0 ;; esac; exit 1`];
}

/** A published port: `ip:external` on the host to the same port in the shared network namespace. */
export interface PortBinding {
    internal: number;
    external: number;
    ip: string;
    protocol: "tcp";
}

/**
 * The ports published on the host: each data node's and sentinel's client port, on `publishAddress` only.
 * Cluster bus ports stay inside the shared network namespace.
 */
export function publishedPorts(topology: Topology, publishAddress: string): PortBinding[] {
    return [...topology.dataNodes, ...topology.sentinels].map((node) => ({ internal: node.port, external: node.port, ip: publishAddress, protocol: "tcp" }));
}

/**
 * The holder's command: a shell that sleeps until it is told to stop, owning the shared network namespace.
 * It runs from the engine image already pulled, so the deployment needs no other image.
 */
export const HOLDER_ENTRYPOINT = ["sh", "-c", "trap 'exit 0' TERM INT; while :; do sleep 3600 & wait $!; done"];

/**
 * How a container joins the holder: its network namespace and its process (PID) namespace, both
 * `container:<holder id>`, like the containers of a Kubernetes pod with a shared process namespace.
 *
 * The shared network namespace gives every node the same loopback and the holder's published ports. The shared
 * PID namespace is what keeps that true across restarts: Docker resolves `container:<id>` only when a container
 * starts, so a container that kept running while the holder restarted would stay in the holder's old network
 * namespace, healthy but unreachable through the published ports (seen on a real engine with
 * `docker restart $(docker ps -q --filter label=redisplatform.deployment=...)`, which restarts the holder last).
 * With the holder's shell as the PID namespace's init, the kernel ends every process in it when the holder
 * stops; the containers exit, and `restart: unless-stopped` starts them again in the holder's new namespace.
 * The price: processes of the deployment see each other (a node could signal another process of the same
 * user), as in a pod with `shareProcessNamespace`.
 */
export function holderNamespaces<T>(holder: T): { networkMode: T; pidMode: T } {
    return { networkMode: holder, pidMode: holder };
}

/** Hardening every container of a deployment gets. */
export interface ContainerHardening {
    /** Whether the root filesystem is read-only (it cannot be on Docker: see {@link containerHardening}). */
    readOnly: boolean;
    capabilities: { drops: string[] };
    securityOpts: string[];
    tmpfs: Record<string, string>;
}

/**
 * The hardening of every container: no capabilities, no privilege escalation, a non-root user (set per
 * container), a small `/tmp`.
 *
 * The root filesystem stays writable: the Docker provider delivers `uploads` by extracting a tar at `/` before
 * the container starts, and the Docker engine refuses any extraction whose target is not a volume when the
 * root filesystem is read-only ("container rootfs is marked read-only"). Every container here carries uploads.
 * The Kubernetes platform, which mounts its files, keeps read-only root filesystems.
 */
export function containerHardening(): ContainerHardening {
    return {
        readOnly: false,
        capabilities: { drops: ["ALL"] },
        securityOpts: ["no-new-privileges:true"],
        tmpfs: { "/tmp": "rw,noexec,nosuid,nodev,size=16m,mode=1777" },
    };
}

/** The file mode of uploaded files: readable by the image's group only, owned by root so Redis cannot change them. */
export const UPLOAD_PERMISSIONS = "0440";

/** An upload as `docker.Container` takes it. */
export interface DockerUpload {
    file: string;
    content: string;
    owner: string;
    group: string;
    permissions: string;
}

/** The uploads of a container: owned by root, readable by the image's group (`gid`) only. */
export function dockerUploads(files: readonly UploadFile[], gid: number): DockerUpload[] {
    return files.map((file) => ({ file: file.file, content: file.content, owner: "0", group: String(gid), permissions: UPLOAD_PERMISSIONS }));
}
