import { createHash } from "node:crypto";
import { aclPasswordHash } from "../../redisconf/acl";
import { jobEnvFor, RenderedDeployment, RenderedNode, RenderedScripts } from "../../redisconf/deployment";
import type { ScriptEnv } from "../../redisconf/scripts/env";
import { renderReloadScript } from "../../redisconf/scripts/reload";
import { KubernetesNames, podFqdn, podName, REDIS_PORT, SENTINEL_PORT } from "./names";

/**
 * The files a deployment's ConfigMaps and Secrets hold, from the rendered deployment. Pure.
 *
 * A StatefulSet gives every pod the same template, so each pod finds its own files by its pod name: the
 * ConfigMap holds `<pod>.conf` and `<pod>.env` for every pod, and the pod mounts the two keys named after
 * itself (`subPathExpr: $(POD_NAME).conf`, the pod name coming from the downward API).
 */

/** Where a pod's script environment file is mounted. */
export const POD_ENV_FILE = "/etc/redis/env/node.env";
/** Where the rendered scripts are mounted. */
export const SCRIPTS_DIR = "/etc/redis/scripts";
/** The file name of the live-reload sidecar's script in the scripts ConfigMap. */
export const RELOAD_SCRIPT = "redis-reload.sh";
/** A script the pods run: one of the rendered deployment's, or the reload sidecar's. */
export type PodScript = keyof RenderedScripts | typeof RELOAD_SCRIPT;
/** The ConfigMap key of the cluster-init job's environment file. */
export const CLUSTER_CREATE_ENV_KEY = "cluster-create.env";
/** The ConfigMap key of the sentinel-reset job's environment file. */
export const SENTINEL_RESET_ENV_KEY = "sentinel-reset.env";
/** The key of the exporter's password map in its Secret. */
export const EXPORTER_PASSWORDS_KEY = "passwords.json";

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function shellQuote(value: string): string {
    return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * Renders a script environment as a POSIX `sh` file of `NAME='value'` lines, in the rendered order. The pod
 * sources it with `set -a` before it execs a rendered script, so the script runs with exactly this
 * environment.
 *
 * @throws Error naming the variable when a name is not a shell identifier
 */
export function renderEnvFile(env: ScriptEnv, description: string): string {
    const lines = Object.entries(env).map(([name, value]) => {
        if (!ENV_NAME.test(name)) {
            throw new Error(`environment variable name "${name}" is not a shell identifier`);
        }
        return `${name}=${shellQuote(value)}`;
    });
    return `# ${description}\n# Rendered from components/redisconf/scripts/env.ts; sourced with set -a before the script runs.\n${lines.join("\n")}\n`;
}

/** Reads back a file {@link renderEnvFile} wrote (tests and tools compare it with the rendered environment). */
export function parseEnvFile(text: string): ScriptEnv {
    const env: ScriptEnv = {};
    for (const line of text.split("\n")) {
        const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
        if (match) {
            env[match[1]] = match[2].replace(/^'|'$/g, "").replace(/'\\''/g, "'");
        }
    }
    return env;
}

/** The ConfigMap key of a node's config file. */
export function configKey(names: KubernetesNames, node: RenderedNode["node"]): string {
    return `${podName(names, node)}.conf`;
}

/** The ConfigMap key of a node's environment file. */
export function envKey(names: KubernetesNames, node: RenderedNode["node"]): string {
    return `${podName(names, node)}.env`;
}

/** The environment of the cluster-init job: the first data node's, plus the cluster layout (as the harness runs it). */
export function clusterCreateEnv(deployment: RenderedDeployment): ScriptEnv | undefined {
    return deployment.clusterCreateEnv === undefined ? undefined : jobEnvFor(deployment, deployment.clusterCreateEnv, "cluster-create");
}

/** The environment of the sentinel-reset job: the first data node's, plus every data node's address. */
export function sentinelResetEnv(deployment: RenderedDeployment): ScriptEnv | undefined {
    return deployment.sentinelResetEnv === undefined ? undefined : jobEnvFor(deployment, deployment.sentinelResetEnv, "sentinel-reset");
}

/**
 * The data of a role's nodes ConfigMap. Data nodes: each `redis.conf` and environment file, plus the
 * cluster-init or sentinel-reset job's environment. Sentinels: each environment file only (their configs carry password hashes
 * and live in a Secret). One ConfigMap per role, so a change to one role's files rolls only its pods.
 */
export function nodesConfigMapData(names: KubernetesNames, deployment: RenderedDeployment, kind: "redis" | "sentinel"): Record<string, string> {
    const data: Record<string, string> = {};
    const nodes = deployment.nodes.filter((rendered) => rendered.node.kind === kind);
    if (kind === "redis") {
        for (const rendered of nodes) {
            data[configKey(names, rendered.node)] = rendered.config;
        }
    }
    for (const rendered of nodes) {
        data[envKey(names, rendered.node)] = renderEnvFile(rendered.env, `Environment of ${rendered.node.name} (pod ${podName(names, rendered.node)}).`);
    }
    const createEnv = kind === "redis" ? clusterCreateEnv(deployment) : undefined;
    if (createEnv !== undefined) {
        data[CLUSTER_CREATE_ENV_KEY] = renderEnvFile(createEnv, "Environment of cluster-create.sh (the cluster-init job).");
    }
    const resetEnv = kind === "redis" ? sentinelResetEnv(deployment) : undefined;
    if (resetEnv !== undefined) {
        data[SENTINEL_RESET_ENV_KEY] = renderEnvFile(resetEnv, "Environment of sentinel-reset.sh (the sentinel-reset job).");
    }
    return data;
}

/**
 * The data of the scripts ConfigMap: the rendered scripts, by file name, byte for byte, and the reload
 * sidecar's script ({@link RELOAD_SCRIPT}, `renderReloadScript()`).
 */
export function scriptsConfigMapData(deployment: RenderedDeployment): Record<string, string> {
    const data: Record<string, string> = {};
    for (const [file, text] of Object.entries(deployment.scripts)) {
        if (text !== undefined) {
            data[file] = text;
        }
    }
    data[RELOAD_SCRIPT] = renderReloadScript();
    return data;
}

/**
 * The shell a container runs: it sources the pod's rendered environment with `set -a`, then execs the
 * rendered script unchanged.
 */
export function runScriptCommand(script: PodScript, envFile: string = POD_ENV_FILE): string[] {
    return ["/bin/sh", "-c", `set -a && . ${envFile} && set +a && exec /bin/sh ${SCRIPTS_DIR}/${script}`];
}

/** The data of the sentinel config Secret: each sentinel's `sentinel.conf` template by pod name. */
export function sentinelConfigSecretData(names: KubernetesNames, deployment: RenderedDeployment): Record<string, string> {
    const data: Record<string, string> = {};
    for (const rendered of deployment.nodes) {
        if (rendered.node.kind === "sentinel") {
            data[configKey(names, rendered.node)] = rendered.config;
        }
    }
    return data;
}

/** The address the exporter sidecar of a node scrapes: the node's own pod name, which its certificate covers. */
export function exporterTarget(names: KubernetesNames, node: RenderedNode["node"], tls: boolean): string {
    return `${tls ? "rediss" : "redis"}://${podFqdn(names, node)}:${node.kind === "redis" ? REDIS_PORT : SENTINEL_PORT}`;
}

/**
 * The exporter's password file: redis_exporter reads a JSON map from target address to password. Every
 * target gets the monitor user's password.
 */
export function exporterPasswordsJson(names: KubernetesNames, deployment: RenderedDeployment, tls: boolean, monitorPassword: string): string {
    const map: Record<string, string> = {};
    for (const rendered of deployment.nodes) {
        map[exporterTarget(names, rendered.node, tls)] = monitorPassword;
    }
    return `${JSON.stringify(map, undefined, 2)}\n`;
}

/**
 * Refuses text bound for a ConfigMap that contains any user's password or password hash.
 *
 * @throws Error naming the file (never the secret) when it does
 */
export function assertNoSecrets(files: Record<string, string>, deployment: RenderedDeployment): Record<string, string> {
    const secrets = deployment.users.flatMap((user) => user.passwords.flatMap((password) => [password, aclPasswordHash(password)]));
    for (const [file, text] of Object.entries(files)) {
        if (secrets.some((secret) => text.includes(secret))) {
            throw new Error(`refusing to put ${file} in a ConfigMap: it contains a password or a password hash`);
        }
    }
    return files;
}

/**
 * A digest of what a set of pods reads only when it starts, put in the pod template so that a change rolls the
 * pods one at a time (each primary handing over first). What a reload sidecar applies live (a data node's ACL
 * file, password files and certificates) stays out of it. A SHA-256 reveals nothing of its input.
 */
export function contentHash(parts: readonly string[]): string {
    const hash = createHash("sha256");
    for (const part of parts) {
        hash.update(String(part.length)).update(":").update(part);
    }
    return hash.digest("hex");
}

/**
 * The name of a ConfigMap holding `data`: its base name and a digest of its content. A change of content is a
 * new ConfigMap, created before the old one is deleted, and a new name in the pod template that rolls the
 * pods; a ConfigMap with a fixed name would instead be deleted and recreated in place (the Kubernetes
 * provider replaces ConfigMaps on change), leaving restarting pods without their files for a moment.
 */
export function contentAddressedName(base: string, data: Readonly<Record<string, string>>): string {
    const entries = Object.keys(data)
        .sort()
        .flatMap((key) => [key, data[key]]);
    return `${base}-${contentHash(entries).slice(0, 10)}`;
}

