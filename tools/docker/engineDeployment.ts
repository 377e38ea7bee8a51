import { randomBytes } from "node:crypto";
import { readlinkSync } from "node:fs";
import type { Cluster, Redis } from "ioredis";
import { parseClusterNodes, servesSlot } from "../../client/clusterNodes";
import { createRedisClient } from "../../client/createClient";
import type { ClientOptions } from "../../client/options";
import type { Credential, Endpoint, RedisConnection, RoleCredentials } from "../../components/connection";
import { AppliedDeployment, APPLIER_LABEL, JournalEntry, Say } from "./applier";
import { Engine } from "./engineApi";
import { dockerPlan, DockerPlan, StackVariant } from "./plan";
import { uploadTar } from "./providerSpec";
import type { UpdatePlan } from "./updatePlan";

/** A data node or sentinel container of an applied deployment. */
export interface EngineNode {
    /** The Docker container name (`redis-<stack>-redis-0`). */
    container: string;
    /** `redis` or `sentinel`. */
    role: string;
    /** The port it listens on and is published on. */
    port: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The value of `NAME=` in a Docker env list. */
export function envValue(envs: readonly string[] | undefined, name: string): string | undefined {
    const entry = (envs ?? []).find((line) => line.startsWith(`${name}=`));
    return entry?.slice(name.length + 1);
}

/**
 * A stack applied to the Docker engine, with the stack's own outputs (connection, credentials) to reach it:
 * what the Docker engine tests and `npm run drill -- --platform docker` work on.
 */
export class EngineDeployment {
    private readonly clients: (Redis | Cluster)[] = [];

    private constructor(
        /** The program run applied now (replaced by {@link update}). */
        public plan: DockerPlan,
        readonly applied: AppliedDeployment,
    ) {}

    /** Runs the stack's program (or a variant) under the mock runtime with real key material and applies it. The caller must {@link destroy}. */
    static async up(stack: string | StackVariant, engine: Engine, say?: Say): Promise<EngineDeployment> {
        const plan = await dockerPlan(stack);
        const deployment = new EngineDeployment(plan, new AppliedDeployment(engine, plan.resources, `${plan.stack}-${randomBytes(4).toString("hex")}`, say));
        try {
            await deployment.applied.apply();
        } catch (error) {
            await deployment.destroy().catch(() => undefined);
            throw error;
        }
        return deployment;
    }

    /**
     * `pulumi up` of another config of the same stack: runs the program for `stack` (keeping this run's key
     * material and passwords where their inputs are unchanged, as the state does) and takes the applied
     * deployment to it (`AppliedDeployment.update`). Returns the steps and what was done, in order.
     */
    async update(stack: string | StackVariant): Promise<{ plan: UpdatePlan; journal: JournalEntry[] }> {
        const next = await dockerPlan(stack, this.plan);
        if (next.stack !== this.plan.stack) {
            throw new Error(`update: stack ${next.stack} is not the applied stack ${this.plan.stack}`);
        }
        try {
            return await this.applied.update(next.resources);
        } finally {
            this.plan = next;
        }
    }

    get engine(): Engine {
        return this.applied.engine;
    }

    /** The stack's `connection` output. */
    get connection(): RedisConnection {
        return this.plan.outputs.connection.value as RedisConnection;
    }

    /** The stack's `credentials` output (secret: never print it). */
    credential(user: string): Credential {
        const credential = (this.plan.outputs.credentials.value as RoleCredentials)[user];
        if (credential === undefined) {
            throw new Error(`the stack has no user ${user}`);
        }
        return credential;
    }

    /** The data node and sentinel containers, from the recorded container inputs. */
    nodes(role?: "redis" | "sentinel"): EngineNode[] {
        return [...this.applied.containers().values()]
            .map((entry) => entry.resource.inputs)
            .filter((inputs) => envValue(inputs.envs, "REDIS_NODE_NAME") !== undefined && inputs.labels?.some((label: { label: string; value: string }) => label.label === "redisplatform.role" && (label.value === "redis" || label.value === "sentinel")))
            .map((inputs) => ({
                container: String(inputs.name),
                role: inputs.labels.find((label: { label: string }) => label.label === "redisplatform.role").value,
                port: Number(envValue(inputs.envs, "REDIS_PORT")),
            }))
            .filter((node) => role === undefined || node.role === role);
    }

    /** The node listening on `port`. */
    nodeAt(port: number): EngineNode {
        const node = this.nodes().find((candidate) => candidate.port === port);
        if (node === undefined) {
            throw new Error(`no node listens on port ${port}`);
        }
        return node;
    }

    /** A client built from the stack outputs by the project's own client (`createRedisClient`), closed by {@link destroy}. */
    client(user: string, options: ClientOptions = {}, connection: RedisConnection = this.connection): Redis | Cluster {
        const client = createRedisClient(connection, this.credential(user), options);
        client.on("error", () => undefined);
        this.clients.push(client);
        return client;
    }

    /** A client of one node (standalone mode, the stack's TLS settings). */
    nodeClient(port: number, user = "admin", options: ClientOptions = {}): Redis {
        const endpoint: Endpoint = { host: "127.0.0.1", port };
        return this.client(user, { reconnect: { maxAttempts: 1 }, ...options }, { mode: "standalone", endpoints: [endpoint], tls: this.connection.tls }) as Redis;
    }

    /** Runs one command on one node and closes the connection. */
    async command(port: number, args: string[], user = "admin"): Promise<unknown> {
        const client = this.nodeClient(port, user);
        try {
            return await client.call(args[0], ...args.slice(1));
        } finally {
            client.disconnect();
        }
    }

    /** What every sentinel answers for the primary's address (`host:port`), in sentinel order. */
    async sentinelAnswers(): Promise<string[]> {
        const master = this.connection.sentinelMasterName ?? "";
        return Promise.all(
            this.nodes("sentinel").map(async (sentinel) => {
                const answer = (await this.command(sentinel.port, ["SENTINEL", "get-master-addr-by-name", master])) as string[] | null;
                return answer === null ? "none" : `${answer[0]}:${answer[1]}`;
            }),
        );
    }

    /** The data node the sentinels name as the primary (the first sentinel's answer). */
    async sentinelPrimary(): Promise<EngineNode> {
        const [answer] = await this.sentinelAnswers();
        return this.nodeAt(Number(answer.split(":")[1]));
    }

    /** The data node serving `slot` as a primary, by the account of the first node that answers. */
    async clusterPrimaryOf(slot: number): Promise<EngineNode> {
        for (const node of this.nodes("redis")) {
            try {
                const lines = parseClusterNodes(String(await this.command(node.port, ["CLUSTER", "NODES"])));
                const owner = lines.find((line) => line.flags.includes("master") && !line.flags.includes("fail") && servesSlot(line.slots, slot));
                if (owner !== undefined) {
                    return this.nodeAt(owner.endpoint.port);
                }
            } catch {
                // a node that is down: ask the next
            }
        }
        throw new Error(`no node serves slot ${slot} as a primary`);
    }

    /** The `role` each data node reports, by container name (`down` when it does not answer). */
    async roles(): Promise<Record<string, string>> {
        const entries = await Promise.all(
            this.nodes("redis").map(async (node) => {
                try {
                    const info = String(await this.command(node.port, ["INFO", "replication"]));
                    return [node.container, /role:(\w+)/.exec(info)?.[1] ?? "unknown"] as const;
                } catch {
                    return [node.container, "down"] as const;
                }
            }),
        );
        return Object.fromEntries(entries);
    }

    /** Waits until every container with a health check is healthy, and every other long-running one runs. */
    async waitHealthy(timeoutMs = 120000): Promise<void> {
        await Promise.all(
            [...this.applied.containers().values()]
                .filter((entry) => entry.id !== undefined && entry.plan !== undefined && !entry.plan.attach)
                .map((entry) => (entry.plan?.body.Healthcheck !== undefined ? this.applied.waitHealthy(entry.plan.name, entry.id as string, timeoutMs) : this.waitRunning(entry.plan!.name, entry.id as string, timeoutMs))),
        );
    }

    private async waitRunning(name: string, id: string, timeoutMs: number): Promise<void> {
        const deadline = Date.now() + timeoutMs;
        while (Date.now() < deadline) {
            if ((await this.engine.inspect(id)).State.Running === true) {
                return;
            }
            await sleep(500);
        }
        throw new Error(`container ${name} not running within ${timeoutMs / 1000} s`);
    }

    /** `docker kill` of a container (SIGKILL). */
    kill(container: string): Promise<void> {
        return this.engine.kill(this.applied.containerId(container));
    }

    /** `docker start` of a stopped container. */
    start(container: string): Promise<void> {
        return this.engine.start(this.applied.containerId(container));
    }

    /** The long-running containers of the deployment (not the one-shot writers and jobs): the holder, the containers joined to it, the others. */
    private longRunning(): { name: string; id: string }[] {
        const entries = [...this.applied.containers().values()].filter((entry) => entry.id !== undefined && entry.plan !== undefined && !entry.plan.attach);
        const joined = entries.filter((entry) => String(entry.plan!.body.HostConfig.NetworkMode ?? "").startsWith("container:"));
        const holders = entries.filter((entry) => joined.some((other) => other.plan!.body.HostConfig.NetworkMode === `container:${entry.id}`));
        const others = entries.filter((entry) => !joined.includes(entry) && !holders.includes(entry));
        return [...holders, ...joined, ...others].map((entry) => ({ name: entry.plan!.name, id: entry.id as string }));
    }

    /** The network namespace (`net:[inode]`) of a running container's main process (needs root). */
    async netns(container: string): Promise<string> {
        const pid = (await this.engine.inspect(this.applied.containerId(container))).State.Pid as number;
        return readlinkSync(`/proc/${pid}/ns/net`);
    }

    /**
     * Running containers that joined the holder but are not in its current network namespace: healthy in
     * themselves, unreachable through the published ports.
     */
    async strays(): Promise<string[]> {
        const holder = this.longRunning()[0];
        const holderNs = await this.netns(holder.name);
        const strays: string[] = [];
        for (const container of this.longRunning()) {
            const inspected = await this.engine.inspect(container.id);
            if (inspected.HostConfig.NetworkMode === `container:${holder.id}` && inspected.State.Running === true && (await this.netns(container.name)) !== holderNs) {
                strays.push(container.name);
            }
        }
        return strays;
    }

    /** `docker restart` of every long-running container, in the order `docker ps` lists them (newest first), as the CLI does. */
    async restartAll(): Promise<void> {
        const listed = await this.engine.listContainers(`redisplatform.deployment=redis-${this.plan.stack}`);
        const longRunning = new Set(this.longRunning().map((container) => container.id));
        for (const container of listed.filter((entry) => longRunning.has(entry.Id))) {
            await this.engine.restart(container.Id, 60);
        }
    }

    /**
     * The documented recovery after the holder restarted (docs/docker.md): start every long-running container
     * that is not running, the holder first.
     */
    async startStopped(): Promise<string[]> {
        const started: string[] = [];
        for (const container of this.longRunning()) {
            if ((await this.engine.inspect(container.id)).State.Running !== true) {
                await this.engine.start(container.id);
                started.push(container.name);
            }
        }
        return started;
    }

    /**
     * `docker run --rm --network none` of a command, as the runbooks do by hand (a restore, emptying a data
     * directory): the given image, user, environment, mounts and files; returns the exit code and the output.
     */
    async runOnce(spec: { image: string; user: string; cmd: string[]; env?: string[]; volumesFrom?: string[]; binds?: string[]; files?: { file: string; content: string }[] }): Promise<{ exitCode: number; output: string }> {
        const name = `redis-${this.plan.stack}-runonce-${randomBytes(3).toString("hex")}`;
        const { Id: id } = await this.engine.createContainer(name, {
            Image: spec.image,
            User: spec.user,
            Entrypoint: spec.cmd,
            Env: spec.env ?? [],
            Labels: { [APPLIER_LABEL]: this.applied.runId },
            HostConfig: { NetworkMode: "none", VolumesFrom: spec.volumesFrom ?? [], Binds: spec.binds ?? [] },
        });
        try {
            for (const file of spec.files ?? []) {
                await this.engine.putArchive(id, "/", uploadTar({ file: file.file, content: file.content, mode: 0o444, uid: 0, gid: 0 }));
            }
            await this.engine.start(id);
            const exitCode = await this.engine.wait(id, 120000);
            return { exitCode, output: await this.engine.logs(id, 100) };
        } finally {
            await this.engine.remove(id);
        }
    }

    /** Closes the clients and destroys what was applied. */
    async destroy(): Promise<void> {
        for (const client of this.clients.splice(0)) {
            client.disconnect();
        }
        await this.applied.destroy();
    }
}
