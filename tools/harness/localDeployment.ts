import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type Redis from "ioredis";
import type { Cluster, RedisOptions } from "ioredis";
import { DeploymentConfig, jobEnvFor, renderDeployment, RenderedDeployment, RenderedNode } from "../../components/redisconf/deployment";
import type { NodePaths } from "../../components/redisconf/layout";
import type { NodeIdentity } from "../../components/redisconf/topology";
import { allUserNames } from "../../components/redisconf/users";
import { assertRedisBinaries, installedEngine } from "./binaries";
import { EngineBinaries, engineBinaryEnv } from "./engineBinaries";
import { generateHarnessCerts, HarnessCerts } from "./certs";
import { ClientTls, clusterClient, directClient, sentinelClient } from "./clients";
import { freePorts } from "./ports";
import { ProcessSupervisor, Supervised } from "./processes";
import { parseClusterNodes, servesSlot } from "../../client/clusterNodes";

/** Options of a local run. */
export interface LocalDeploymentOptions {
    config: DeploymentConfig;
    /** Where the run's temp dir is created. @default the OS temp dir */
    baseDir?: string;
    /** Progress messages (the sandbox prints them; tests stay quiet). */
    progress?: (message: string) => void;
    /** Seconds a data node waits for a sentinel. @default 20 */
    startTimeoutSeconds?: number;
    /** Keep the temp dir after `destroy` (logs for a post-mortem). @default false */
    keepDir?: boolean;
    /** How long a start waits for the topology to be healthy. @default 60000 */
    healthTimeoutMs?: number;
    /** Engine binaries to run instead of the `redis-server` and `redis-sentinel` on `PATH`, and the engine to render for. */
    engineBinaries?: EngineBinaries;
    /** Variables added to every node's script environment (e.g. `REDIS_SERVER_BIN`, the binary to run). */
    extraEnv?: Record<string, string>;
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Polls `check` until it returns a value other than `undefined`/`false`, or throws after `timeoutMs` with
 * `what` and the last error. An aborted `signal` ends the wait at once with its reason.
 */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 30000, intervalMs = 100, signal?: AbortSignal): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    for (;;) {
        signal?.throwIfAborted();
        try {
            const value = await check();
            if (value !== undefined && value !== false) {
                return value;
            }
        } catch (error) {
            lastError = error;
        }
        if (Date.now() > deadline) {
            const detail = lastError instanceof Error ? `: ${lastError.message}` : "";
            throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}${detail}`);
        }
        await sleep(intervalMs);
    }
}

/** Parses INFO-style `key:value` text. */
export function parseInfo(text: string): Record<string, string> {
    const fields: Record<string, string> = {};
    for (const line of text.split(/\r?\n/)) {
        const separator = line.indexOf(":");
        if (separator > 0 && !line.startsWith("#")) {
            fields[line.slice(0, separator)] = line.slice(separator + 1);
        }
    }
    return fields;
}

/** How many times {@link LocalDeployment.start} draws new ports when another process took one of its ports first. */
const PORT_ATTEMPTS = 3;

/**
 * A node process ended while its deployment was starting; `log` holds the end of the node's log.
 */
export class NodeExitedError extends Error {
    constructor(readonly node: string, readonly code: number | string, readonly log: string) {
        super(`${node} exited (${code}) while the deployment was starting; the end of its log:\n${log}`);
        this.name = "NodeExitedError";
    }

    /** Whether the node could not listen because its port was taken (a port picked free was bound by another process first). */
    get portTaken(): boolean {
        return /Address already in use/.test(this.log);
    }
}

/**
 * A self-hosted topology running as local processes: the rendered configs, ACL file and scripts of
 * `renderDeployment`, with certificates and random passwords made for the run, on free loopback ports.
 * Call {@link LocalDeployment.destroy} when done; every process also dies with the Node process.
 */
export class LocalDeployment {
    /** Everything that was rendered. */
    readonly rendered: RenderedDeployment;
    /** The run's root directory. */
    readonly root: string;
    /** The run's TLS files. */
    readonly certs: HarnessCerts;
    /** The processes. */
    readonly supervisor = new ProcessSupervisor();
    private readonly passwords: Record<string, string>;
    private readonly scriptDir: string;
    private readonly progress: (message: string) => void;
    private readonly keepDir: boolean;
    private readonly openClients = new Set<Redis | Cluster>();
    private readonly binaryEnv: Record<string, string>;
    private readonly healthTimeoutMs: number;

    private constructor(rendered: RenderedDeployment, root: string, certs: HarnessCerts, passwords: Record<string, string>, options: LocalDeploymentOptions) {
        this.rendered = rendered;
        this.root = root;
        this.certs = certs;
        this.passwords = passwords;
        this.scriptDir = path.join(root, "scripts");
        this.progress = options.progress ?? (() => undefined);
        this.keepDir = options.keepDir ?? false;
        this.binaryEnv = options.engineBinaries === undefined ? {} : engineBinaryEnv(options.engineBinaries);
        this.healthTimeoutMs = options.healthTimeoutMs ?? 60000;
    }

    /**
     * Renders, writes and starts a topology; resolves once it is fully healthy. Ports are drawn free but
     * another process (a test run beside this one) may bind one first: then the run starts over on new ports,
     * up to {@link PORT_ATTEMPTS} times.
     */
    static async start(options: LocalDeploymentOptions): Promise<LocalDeployment> {
        for (let attempt = 1; ; attempt++) {
            const deployment = LocalDeployment.prepare(await LocalDeployment.layout(options), options);
            try {
                await deployment.startAll();
                return deployment;
            } catch (error) {
                const retry = error instanceof NodeExitedError && error.portTaken && attempt < PORT_ATTEMPTS;
                await deployment.destroy(!retry);
                if (!retry) {
                    throw error;
                }
                options.progress?.(`${error.node}'s port was taken by another process: starting over on new ports`);
            }
        }
    }

    private static async layout(options: LocalDeploymentOptions) {
        const engine = options.engineBinaries === undefined ? installedEngine() : (assertRedisBinaries(), options.engineBinaries.engine);
        const { config } = options;
        const selfhosted = config.selfhosted;
        const dataCount =
            selfhosted.topology === "cluster" ? selfhosted.shards * (1 + selfhosted.replicasPerShard) : 1 + selfhosted.replicas;
        const portCount = dataCount * (selfhosted.topology === "cluster" ? 2 : 1) + selfhosted.sentinels;
        const ports = await freePorts(portCount);
        const root = mkdtempSync(path.join(options.baseDir ?? tmpdir(), "redis-harness-"));
        chmodSync(root, 0o700);
        options.progress?.(`run directory ${root}`);
        options.progress?.("generating certificates with openssl");
        const certs = generateHarnessCerts(path.join(root, "tls"));
        const passwords: Record<string, string> = {};
        const passwordDir = path.join(root, "passwords");
        mkdirSync(passwordDir, { mode: 0o700 });
        for (const user of allUserNames(config)) {
            passwords[user] = randomBytes(24).toString("base64url").replace(/[-_]/g, "x");
            writeFileSync(path.join(passwordDir, user), passwords[user], { mode: 0o600 });
        }
        const portOf = new Map<string, { port: number; busPort?: number }>();
        let next = 0;
        const place = (node: NodeIdentity) => {
            let entry = portOf.get(node.name);
            if (!entry) {
                entry = { port: ports[next++], ...(selfhosted.topology === "cluster" && node.kind === "redis" ? { busPort: ports[next++] } : {}) };
                portOf.set(node.name, entry);
            }
            return { announceHost: "127.0.0.1", ...entry };
        };
        const pathsFor = (node: NodeIdentity): NodePaths => {
            const dir = path.join(root, "nodes", node.name);
            return {
                configFile: path.join(dir, node.kind === "redis" ? "redis.conf" : "sentinel.conf.template"),
                dataDir: path.join(dir, "data"),
                aclFile: path.join(root, "users.acl"),
                passwordDir,
                tls: {
                    certFile: certs.serverCertFile,
                    keyFile: certs.serverKeyFile,
                    caFile: certs.caFile,
                    clientCertFile: certs.clientCertFile,
                    clientKeyFile: certs.clientKeyFile,
                },
            };
        };
        const passwordsByUser = Object.fromEntries(Object.entries(passwords).map(([user, password]) => [user, [password]]));
        const rendered = renderDeployment({
            config,
            place,
            pathsFor,
            passwordsByUser,
            bind: ["127.0.0.1"],
            engine,
            startTimeoutSeconds: options.startTimeoutSeconds ?? 20,
        });
        return { rendered, root, certs, passwords };
    }

    private static prepare(layout: Awaited<ReturnType<typeof LocalDeployment.layout>>, options: LocalDeploymentOptions): LocalDeployment {
        const { rendered, root, certs, passwords } = layout;
        const deployment = new LocalDeployment(rendered, root, certs, passwords, options);
        writeFileSync(path.join(root, "users.acl"), rendered.usersAcl, { mode: 0o600 });
        mkdirSync(deployment.scriptDir);
        for (const [name, text] of Object.entries(rendered.scripts)) {
            writeFileSync(path.join(deployment.scriptDir, name), text as string, { mode: 0o755 });
        }
        for (const node of rendered.nodes) {
            Object.assign(node.env, options.extraEnv ?? {});
            mkdirSync(node.paths.dataDir, { recursive: true, mode: 0o700 });
            writeFileSync(node.paths.configFile, node.config, { mode: 0o600 });
        }
        return deployment;
    }

    /** The topology kind. */
    get kind(): RenderedDeployment["topology"]["kind"] {
        return this.rendered.topology.kind;
    }

    /** The TLS settings clients of this run use. */
    clientTls(overrides: Partial<ClientTls> = {}): ClientTls {
        return { enabled: this.rendered.nodes[0].env.REDIS_TLS === "yes", certs: this.certs, ...overrides };
    }

    /** A user's password. Never print it. */
    password(user: string): string {
        const password = this.passwords[user];
        if (password === undefined) {
            throw new Error(`the run has no user "${user}"`);
        }
        return password;
    }

    /** The directory holding one password file per user. */
    get passwordDir(): string {
        return path.join(this.root, "passwords");
    }

    /** A node by name. */
    node(name: string): RenderedNode {
        const node = this.rendered.nodes.find((candidate) => candidate.node.name === name);
        if (!node) {
            throw new Error(`the run has no node "${name}"`);
        }
        return node;
    }

    /** Data node names. */
    get dataNodeNames(): string[] {
        return this.rendered.topology.dataNodes.map((node) => node.name);
    }

    /** Sentinel names. */
    get sentinelNames(): string[] {
        return this.rendered.topology.sentinels.map((node) => node.name);
    }

    private logFile(name: string): string {
        return path.join(this.root, "nodes", name, "log.txt");
    }

    /** Starts one node with its rendered start script (the same script a container runs). */
    startNode(name: string): Supervised {
        const node = this.node(name);
        const script = node.node.kind === "redis" ? "redis-start.sh" : "sentinel-start.sh";
        return this.supervisor.start(name, path.join(this.scriptDir, script), { ...node.env, ...this.binaryEnv }, this.logFile(name));
    }

    /** `kill -9` a node's process group. */
    async killNode(name: string): Promise<void> {
        await this.supervisor.stop(name, "SIGKILL");
    }

    /** Stops a node gracefully (SIGTERM; Redis saves and exits), running its preStop script first when asked. */
    async stopNode(name: string, runPreStop = false): Promise<void> {
        if (runPreStop) {
            await this.runScript("redis-prestop.sh", this.node(name).env, `${name}-prestop`);
        }
        await this.supervisor.stop(name, "SIGTERM", 15000);
    }

    /**
     * Runs a rendered script to completion with a node's environment.
     *
     * @throws Error with the script's log file when it exits non-zero
     */
    async runScript(script: keyof RenderedDeployment["scripts"], env: Record<string, string>, name: string): Promise<void> {
        const logFile = path.join(this.root, `${name}.log`);
        const supervised = this.supervisor.start(name, path.join(this.scriptDir, script), env, logFile);
        const code = await supervised.exited;
        if (code !== 0) {
            throw new Error(`${script} exited with ${code}; see ${logFile}`);
        }
    }

    /**
     * Starts every node in the order the platform would and waits until the topology is healthy.
     *
     * @throws NodeExitedError as soon as a node's process ends before that (a port taken, a config refused)
     */
    async startAll(): Promise<void> {
        const { topology } = this.rendered;
        const started: Supervised[] = [];
        for (const name of [...this.sentinelNames, ...this.dataNodeNames]) {
            this.progress(`starting ${name}`);
            started.push(this.startNode(name));
        }
        const starting = new AbortController();
        let watching = true;
        const nodeExited = new Promise<never>((_, reject) => {
            for (const { name, exited } of started) {
                void exited.then((code) => watching && reject(new NodeExitedError(name, code, this.logTail(name))));
            }
        });
        const form = async () => {
            if (topology.kind === "cluster") {
                this.progress("forming the cluster with cluster-create.sh");
                await this.runScript("cluster-create.sh", jobEnvFor(this.rendered, this.rendered.clusterCreateEnv, "cluster-create"), "cluster-create");
            }
            await this.waitHealthy(this.healthTimeoutMs, starting.signal);
        };
        const forming = form();
        // Whichever loses the race settles later with nobody waiting for it: keep that from being unhandled.
        nodeExited.catch(() => undefined);
        forming.catch(() => undefined);
        try {
            await Promise.race([forming, nodeExited]);
        } catch (error) {
            starting.abort(error);
            // cluster-create.sh waits for every node: stop it (the caller destroys the rest).
            await this.supervisor.stop("cluster-create");
            throw error;
        } finally {
            watching = false;
        }
    }

    /** The last lines of a node's log. */
    private logTail(name: string, lines = 15): string {
        try {
            return readFileSync(this.logFile(name), "utf8").trimEnd().split("\n").slice(-lines).join("\n");
        } catch {
            return "(no log)";
        }
    }

    /** Stops every node: gracefully (SIGTERM, Redis saves its data) or with SIGKILL. */
    async stopAll(graceful = true): Promise<void> {
        await Promise.all([...this.dataNodeNames, ...this.sentinelNames].map((name) => this.supervisor.stop(name, graceful ? "SIGTERM" : "SIGKILL", 15000)));
    }

    /** Restarts every node with its start script (a full restart), then waits until healthy. */
    async restartAll(): Promise<void> {
        await this.stopAll(true);
        await this.startAll();
    }

    /** A fail-fast client of one node. Close it, or let `destroy` do it. */
    client(name: string, user?: string, options: { tls?: Partial<ClientTls>; password?: string; redis?: RedisOptions } = {}): Redis {
        const { node } = this.node(name);
        const client = directClient(node.announceHost, node.port, user, user === undefined ? undefined : (options.password ?? this.password(user)), this.clientTls(options.tls), options.redis);
        client.on("error", () => undefined);
        this.openClients.add(client);
        return client;
    }

    /** Runs one command as a user on a node and closes the connection. */
    async command(name: string, user: string, args: (string | number)[]): Promise<unknown> {
        const client = this.client(name, user);
        try {
            await client.connect();
            return await client.call(String(args[0]), ...args.slice(1).map(String));
        } finally {
            client.disconnect();
            this.openClients.delete(client);
        }
    }

    /** INFO `section` of a node as fields. */
    async info(name: string, section: string): Promise<Record<string, string>> {
        return parseInfo(String(await this.command(name, "admin", ["INFO", section])));
    }

    /** A client that follows the primary through the sentinels. */
    sentinelClient(user = "app", redis: RedisOptions = {}): Redis {
        const { topology } = this.rendered;
        const client = sentinelClient(topology.sentinels.map((s) => ({ host: s.announceHost, port: s.port })), topology.masterName ?? "", user, this.password(user), this.clientTls(), redis);
        client.on("error", () => undefined);
        this.openClients.add(client);
        return client;
    }

    /** A cluster client seeded with every data node. */
    clusterClient(user = "app", redis: RedisOptions = {}): Cluster {
        const seeds = this.rendered.topology.dataNodes.map((node) => ({ host: node.announceHost, port: node.port }));
        const client = clusterClient(seeds, user, this.password(user), this.clientTls(), redis);
        client.on("error", () => undefined);
        this.openClients.add(client);
        return client;
    }

    /** The data node the sentinels name as primary. */
    async sentinelPrimary(sentinel = this.sentinelNames[0]): Promise<string> {
        const address = (await this.command(sentinel, "admin", ["SENTINEL", "get-master-addr-by-name", this.rendered.topology.masterName ?? ""])) as string[];
        const node = this.rendered.topology.dataNodes.find((n) => n.announceHost === address[0] && String(n.port) === String(address[1]));
        if (!node) {
            throw new Error(`the sentinels name ${address.join(":")}, which is no node of this run`);
        }
        return node.name;
    }

    /**
     * The node serving each slot range, as a running node reports it (`CLUSTER SLOTS`), with the range's
     * replicas.
     *
     * @param asker the node to ask; the first running data node by default
     */
    async clusterSlots(asker = this.dataNodeNames.find((name) => this.supervisor.isRunning(name))): Promise<{ first: number; last: number; primary: string; replicas: string[] }[]> {
        if (!asker) {
            throw new Error("no data node is running");
        }
        const reply = (await this.command(asker, "admin", ["CLUSTER", "SLOTS"])) as [number, number, ...[string, number, string][]][];
        const nameOf = (host: string, port: number) =>
            this.rendered.topology.dataNodes.find((node) => node.announceHost === host && node.port === Number(port))?.name ?? `${host}:${port}`;
        return reply
            .map(([first, last, primary, ...replicas]) => ({
                first,
                last,
                primary: nameOf(primary[0], primary[1]),
                replicas: replicas.map((replica) => nameOf(replica[0], replica[1])),
            }))
            .sort((a, b) => a.first - b.first);
    }

    /**
     * The running node that serves `slot` as a primary by its own account (`myself,master` in its CLUSTER
     * NODES). Unlike {@link clusterSlots}, which trusts one node's view, it cannot name a node that a
     * moment-old slot map still lists as primary after a failover.
     */
    async clusterPrimaryServing(slot: number): Promise<string> {
        for (const name of this.dataNodeNames.filter((node) => this.supervisor.isRunning(node))) {
            const myself = parseClusterNodes(String(await this.command(name, "admin", ["CLUSTER", "NODES"]))).find((node) => node.flags.includes("myself"));
            if (myself !== undefined && myself.flags.includes("master") && servesSlot(myself.slots, slot)) {
                return name;
            }
        }
        throw new Error(`no running node serves slot ${slot} as a primary`);
    }

    /** The data nodes that report `role:master` (running nodes only). */
    async primaries(): Promise<string[]> {
        const result: string[] = [];
        for (const name of this.dataNodeNames) {
            if (!this.supervisor.isRunning(name)) {
                continue;
            }
            const info = await this.info(name, "replication").catch(() => undefined);
            if (info?.role === "master") {
                result.push(name);
            }
        }
        return result;
    }

    /** Waits until every running node is healthy for its topology; an aborted `signal` ends the wait. */
    async waitHealthy(timeoutMs = 60000, signal?: AbortSignal): Promise<void> {
        const running = (names: string[]) => names.filter((name) => this.supervisor.isRunning(name));
        for (const name of running([...this.sentinelNames, ...this.dataNodeNames])) {
            await waitFor(`${name} answers PING`, async () => (await this.command(name, "admin", ["PING"])) === "PONG", timeoutMs, undefined, signal);
        }
        if (this.kind === "sentinel") {
            const dataNodes = running(this.dataNodeNames);
            const sentinels = running(this.sentinelNames);
            // One condition checked whole on each poll: the sentinels may still fail over while the nodes come
            // up (a full restart), and a wait that settled on the primary first would then wait for it forever.
            await waitFor(`exactly one primary, ${dataNodes.length - 1} replicas in sync with it, and ${sentinels.length} sentinels that know it, them and each other`, async () => {
                const problem = await this.sentinelTopologyProblem(dataNodes, sentinels);
                if (problem !== undefined) {
                    throw new Error(problem);
                }
                return true;
            }, timeoutMs, 250, signal);
        }
        if (this.kind === "cluster") {
            const replicas: string[] = [];
            for (const name of running(this.dataNodeNames)) {
                await waitFor(`${name} reports cluster_state:ok`, async () => parseInfo(String(await this.command(name, "admin", ["CLUSTER", "INFO"]))).cluster_state === "ok", timeoutMs, undefined, signal);
                const replication = await this.info(name, "replication");
                if (replication.role === "slave") {
                    replicas.push(name);
                    await waitFor(`${name} is in sync with its primary`, async () => (await this.info(name, "replication")).master_link_status === "up", timeoutMs, undefined, signal);
                }
            }
            // CLUSTER SLOTS leaves out a replica until gossip reports a replication offset for it, so a
            // client that loads the slot map too early does not know every replica yet.
            for (const name of running(this.dataNodeNames)) {
                await waitFor(`${name} lists ${replicas.length} replicas in CLUSTER SLOTS`, async () => {
                    const listed = new Set((await this.clusterSlots(name)).flatMap((range) => range.replicas));
                    return replicas.every((replica) => listed.has(replica));
                }, timeoutMs, undefined, signal);
            }
        }
    }

    /**
     * What keeps a Sentinel topology from being healthy right now, or `undefined` when it is: exactly one of
     * `dataNodes` reports itself primary, every other one replicates it with its link up, and every one of
     * `sentinels` names that primary, sees it up and knows the replicas and the other sentinels.
     */
    private async sentinelTopologyProblem(dataNodes: string[], sentinels: string[]): Promise<string | undefined> {
        const primaries = await this.primaries();
        if (primaries.length !== 1) {
            return `${primaries.length} data nodes report role:master (${primaries.join(", ")})`;
        }
        const primary = this.node(primaries[0]).node;
        for (const name of dataNodes.filter((n) => n !== primary.name)) {
            const replication = await this.info(name, "replication");
            if (replication.master_host !== primary.announceHost || replication.master_port !== String(primary.port) || replication.master_link_status !== "up") {
                return `${name} is not in sync with ${primary.name} (role ${replication.role}, master ${replication.master_host}:${replication.master_port}, link ${replication.master_link_status})`;
            }
        }
        const masterName = this.rendered.topology.masterName ?? "";
        for (const sentinel of sentinels) {
            const fields = (await this.command(sentinel, "admin", ["SENTINEL", "master", masterName])) as string[];
            const state: Record<string, string> = {};
            for (let i = 0; i + 1 < fields.length; i += 2) {
                state[fields[i]] = fields[i + 1];
            }
            if (
                state.ip !== primary.announceHost ||
                state.port !== String(primary.port) ||
                state.flags.includes("down") ||
                Number(state["num-slaves"]) < dataNodes.length - 1 ||
                Number(state["num-other-sentinels"]) < sentinels.length - 1
            ) {
                return `${sentinel} does not know the topology yet (primary ${state.ip}:${state.port}, flags ${state.flags}, ${state["num-slaves"]} replicas, ${state["num-other-sentinels"]} other sentinels)`;
            }
        }
        return undefined;
    }

    /** Stops every process, closes every client and removes the run directory (unless kept). */
    async destroy(keepDir = this.keepDir): Promise<void> {
        for (const client of this.openClients) {
            client.disconnect();
        }
        this.openClients.clear();
        await this.supervisor.dispose();
        if (!keepDir) {
            rmSync(this.root, { recursive: true, force: true });
        }
    }
}
