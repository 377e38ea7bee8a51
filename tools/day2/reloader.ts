import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { SentinelTlsAction, reloadEnvFor, renderReloadScript } from "../../components/redisconf/scripts/reload";
import type { LocalDeployment } from "../harness/localDeployment";
import { sleep } from "../harness/localDeployment";

/**
 * Runs the rendered `redis-reload.sh` beside the nodes of a local run, as the sidecar containers would: same
 * script, the node's environment plus `reloadEnvFor`. The run's supervisor owns the processes, so they stop
 * with the run.
 */

/** The supervised process name of a node's sidecar. */
export function reloaderName(node: string): string {
    return `reload-${node}`;
}

function day2Dir(deployment: LocalDeployment): string {
    const dir = path.join(deployment.root, "day2");
    mkdirSync(path.join(dir, "tmp"), { recursive: true, mode: 0o700 });
    return dir;
}

/** The log file of a node's sidecar. */
export function reloaderLog(deployment: LocalDeployment, node: string): string {
    return path.join(day2Dir(deployment), `${reloaderName(node)}.log`);
}

/**
 * Starts a sidecar for each node (data nodes and sentinels by default), looking every second.
 *
 * @param nodes the nodes to serve; extra nodes a scenario added pass their own env
 * @param sentinel what sentinel sidecars do when TLS files change, and how far apart sentinels restart
 */
export function startReloaders(
    deployment: LocalDeployment,
    nodes: { name: string; kind: "redis" | "sentinel"; env: Record<string, string> }[] = deployment.rendered.nodes.map((node) => ({ name: node.node.name, kind: node.node.kind, env: node.env })),
    sentinel: { tls: SentinelTlsAction; staggerSeconds?: number } = { tls: "log" },
): void {
    const dir = day2Dir(deployment);
    const script = path.join(dir, "redis-reload.sh");
    if (!existsSync(script)) {
        writeFileSync(script, renderReloadScript(), { mode: 0o755 });
    }
    const dataNode = deployment.rendered.nodes.find((node) => node.node.kind === "redis");
    if (!dataNode) {
        throw new Error("the run has no data node");
    }
    for (const node of nodes) {
        const env = {
            ...node.env,
            ...reloadEnvFor({ node: { kind: node.kind }, paths: dataNode.paths, engine: deployment.rendered.engine, tls: { enabled: node.env.REDIS_TLS === "yes" }, intervalSeconds: 1, sentinelTls: sentinel.tls, sentinelStaggerSeconds: sentinel.staggerSeconds }),
            TMPDIR: path.join(dir, "tmp"),
        };
        deployment.supervisor.start(reloaderName(node.name), script, env, reloaderLog(deployment, node.name));
    }
}

/** Stops a node's sidecar. */
export async function stopReloader(deployment: LocalDeployment, node: string): Promise<void> {
    await deployment.supervisor.stop(reloaderName(node), "SIGTERM", 5000);
}

/** A node sidecar's log so far. */
export function readReloaderLog(deployment: LocalDeployment, node: string): string {
    const file = reloaderLog(deployment, node);
    return existsSync(file) ? readFileSync(file, "utf8") : "";
}

/** The length of every sidecar's log, to wait for what is logged after this point. */
export function logMarks(deployment: LocalDeployment, nodes: readonly string[]): Map<string, number> {
    return new Map(nodes.map((node) => [node, readReloaderLog(deployment, node).length]));
}

/**
 * Waits until each node's sidecar logged a line matching `pattern` after its mark.
 *
 * @throws Error naming the nodes that did not, with their last log line, after `timeoutMs`
 */
export async function waitForLogged(deployment: LocalDeployment, marks: Map<string, number>, pattern: RegExp, timeoutMs = 60000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const missing = [...marks].filter(([node, mark]) => !pattern.test(readReloaderLog(deployment, node).slice(mark)));
        if (missing.length === 0) {
            return;
        }
        if (Date.now() > deadline) {
            const detail = missing.map(([node]) => `${node}: ${readReloaderLog(deployment, node).trim().split("\n").pop() ?? "(no log)"}`).join("; ");
            throw new Error(`timed out waiting for the reload sidecars to log ${pattern}: ${detail}`);
        }
        await sleep(200);
    }
}
