import { DeploymentConfig, jobEnvFor } from "../../components/redisconf/deployment";
import { clusterCreateEnvFor, ScriptEnv } from "../../components/redisconf/scripts/env";
import { buildTopology, DataNode, slotRanges, Topology } from "../../components/redisconf/topology";
import { parseClusterNodes, slotCount } from "../../client/clusterNodes";
import { LocalDeployment, parseInfo } from "../harness/localDeployment";
import { Address, commandAs } from "./admin";
import { ExtraNode, renderExtraNode, startExtraNode } from "./extraNodes";

/**
 * What `pulumi up` does to a cluster deployment when `shards` or `replicasPerShard` changes, done to a local
 * run with the same rendered scripts the platforms run: `cluster-drain.sh` with the desired nodes' environment
 * (the Job / one-shot container the StatefulSet / node containers wait for), then the platform's part (nodes
 * that go away stop, new nodes, rendered like their peers, start), then `cluster-create.sh` with the same
 * environment (the Job / container that runs once the new nodes exist).
 */

/** The shape of a cluster: shards and replicas per shard. */
export interface ClusterShape {
    shards: number;
    replicasPerShard: number;
}

/** What one scaling step did and how long each part took. */
export interface ScaleStep {
    added: string[];
    removed: string[];
    /** For each removed node, how many desired nodes still knew it once the drain ran, before it stopped (0: it left). */
    removedKnownBy: Record<string, number>;
    /** For each node that came back with its data directory, its node id when it stopped and once it rejoined. */
    returned: Record<string, { before: string; after: string }>;
    drainMs: number;
    joinMs: number;
}

/** A shard as the cluster reports it: its primary and its replicas by node name. */
export interface LiveShard {
    primary: string;
    slots: number;
    replicas: string[];
}

/** Scales a local cluster run between shapes, tracking the nodes it added. */
export class LocalClusterScaler {
    private readonly placed = new Map<string, DataNode>();
    private readonly running = new Set<string>();
    /** How to start each node again with its data directory, as a StatefulSet brings a pod back with its retained volume. */
    private readonly starters = new Map<string, () => void>();
    /** The node id each stopped node had when it stopped. */
    private readonly stoppedIds = new Map<string, string>();
    private steps = 0;

    constructor(
        private readonly deployment: LocalDeployment,
        private readonly config: DeploymentConfig,
        private readonly progress: (line: string) => void,
    ) {
        for (const node of deployment.rendered.topology.dataNodes) {
            this.placed.set(node.name, node);
            this.running.add(node.name);
            this.starters.set(node.name, () => deployment.startNode(node.name));
        }
    }

    /** The running data nodes, by name. */
    get nodeNames(): string[] {
        return [...this.running];
    }

    /** The address of a node, first or added. */
    address(name: string): Address {
        const node = this.placed.get(name);
        if (node === undefined) {
            throw new Error(`no node ${name} in this run`);
        }
        return { host: node.announceHost, port: node.port };
    }

    /** Runs one command as admin on a node. */
    async admin(name: string, args: (string | number)[]): Promise<unknown> {
        return commandAs(this.deployment, this.address(name), "admin", this.deployment.password("admin"), args);
    }

    /** The desired topology of a shape, the nodes this run already has keeping their placement. */
    private desiredTopology(shape: ClusterShape): Topology {
        const selfhosted = { ...this.config.selfhosted, topology: "cluster" as const, ...shape };
        return buildTopology(selfhosted, (identity) => {
            const known = this.placed.get(identity.name);
            return known === undefined ? { announceHost: "", port: 0, busPort: 0 } : { announceHost: known.announceHost, port: known.port, busPort: known.busPort };
        });
    }

    /** The environment `cluster-drain.sh` and `cluster-create.sh` run with for a topology (as the platforms render it). */
    private jobEnv(topology: Topology): ScriptEnv {
        return jobEnvFor(this.deployment.rendered, clusterCreateEnvFor(topology, slotRanges(topology.shards.length)), "cluster-create");
    }

    /**
     * Brings the run to a shape: the drain step, the platform's part, the join step.
     *
     * @returns the nodes added and removed, and how long the two scripts ran
     */
    async scaleTo(shape: ClusterShape): Promise<ScaleStep> {
        this.steps += 1;
        let topology = this.desiredTopology(shape);
        // New nodes are rendered (on free ports) now and started after the drain, as the platform does.
        const extras: ExtraNode[] = [];
        for (const node of topology.dataNodes) {
            if (!this.placed.has(node.name)) {
                const extra = await renderExtraNode(this.deployment, this.config, topology, node);
                this.placed.set(node.name, extra.node);
                this.starters.set(node.name, () => startExtraNode(this.deployment, extra));
                extras.push(extra);
            }
        }
        topology = this.desiredTopology(shape);
        // Nodes that come back (scaled down, then up again) keep their data directory, as their retained volume does.
        const added = topology.dataNodes.map((node) => node.name).filter((name) => !this.running.has(name));
        const env = this.jobEnv(topology);
        const desired = new Set(topology.dataNodes.map((node) => node.name));
        const removed = [...this.running].filter((name) => !desired.has(name));

        this.progress(`cluster-drain.sh towards ${shape.shards} shards x ${shape.replicasPerShard} replicas`);
        let started = Date.now();
        await this.deployment.runScript("cluster-drain.sh", env, `cluster-drain-${this.steps}`);
        const drainMs = Date.now() - started;

        const removedKnownBy: Record<string, number> = Object.fromEntries(removed.map((name) => [name, 0]));
        for (const name of [...this.running].filter((candidate) => desired.has(candidate))) {
            const known = parseClusterNodes(String(await this.admin(name, ["CLUSTER", "NODES"])));
            for (const gone of removed) {
                const at = this.address(gone);
                removedKnownBy[gone] += known.some((line) => line.endpoint.host === at.host && line.endpoint.port === at.port) ? 1 : 0;
            }
        }
        for (const name of removed) {
            this.progress(`the platform stops ${name}`);
            this.stoppedIds.set(name, String(await this.admin(name, ["CLUSTER", "MYID"])));
            await this.deployment.supervisor.stop(name, "SIGTERM", 15000);
            this.running.delete(name);
        }
        for (const name of added) {
            this.progress(`the platform starts ${name}${extras.some((extra) => extra.name === name) ? "" : " again, with its data directory"}`);
            this.starters.get(name)?.();
            this.running.add(name);
        }

        this.progress(`cluster-create.sh with ${topology.dataNodes.length} desired nodes`);
        started = Date.now();
        await this.deployment.runScript("cluster-create.sh", env, `cluster-create-${this.steps}`);
        const joinMs = Date.now() - started;
        const returned: ScaleStep["returned"] = {};
        for (const name of added.filter((candidate) => this.stoppedIds.has(candidate))) {
            returned[name] = { before: this.stoppedIds.get(name) ?? "", after: String(await this.admin(name, ["CLUSTER", "MYID"])) };
        }
        return { added, removed, removedKnownBy, returned, drainMs, joinMs };
    }

    /** The shards as a running node reports them (`CLUSTER NODES`), by node name. */
    async shards(): Promise<LiveShard[]> {
        const asker = [...this.running][0];
        const lines = parseClusterNodes(String(await this.admin(asker, ["CLUSTER", "NODES"])));
        const nameOf = (host: string, port: number) => [...this.placed.values()].find((node) => node.announceHost === host && node.port === port)?.name ?? `${host}:${port}`;
        const primaries = lines.filter((line) => line.flags.includes("master") && slotCount(line.slots) > 0);
        return primaries.map((primary) => ({
            primary: nameOf(primary.endpoint.host, primary.endpoint.port),
            slots: slotCount(primary.slots),
            replicas: lines.filter((line) => line.primaryId === primary.id).map((line) => nameOf(line.endpoint.host, line.endpoint.port)),
        }));
    }

    /** How many nodes each running node knows, by name. */
    async knownNodes(): Promise<Record<string, number>> {
        const known: Record<string, number> = {};
        for (const name of this.running) {
            known[name] = Number(parseInfo(String(await this.admin(name, ["CLUSTER", "INFO"]))).cluster_known_nodes);
        }
        return known;
    }
}
