import { strict as assert } from "node:assert";
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { alertDeploymentFor } from "../../components/monitoring/alertDeployment";
import { alertRulesFor } from "../../components/monitoring/alertRules";
import { dashboardExpressions, DashboardTopology } from "../../components/monitoring/dashboard";
import { metricNamesIn } from "../../components/monitoring/metrics";
import { assertRedisBinaries } from "../../tools/harness/binaries";
import { asDeploymentConfig, localStackConfig } from "../../tools/harness/config";
import { LocalDeployment } from "../../tools/harness/localDeployment";
import { freePorts } from "../../tools/harness/ports";
import { ProcessSupervisor } from "../../tools/harness/processes";
import type { ResolvedStackConfig } from "../../stacks/config/resolve";
import { requireTool } from "../support/monitoring/tools";

/**
 * prometheus-redis-exporter against real TLS nodes of the local harness, logged in as the `monitor` ACL user
 * and nothing else: every metric the alert rules and the dashboard use must appear, and no node may log a
 * command the monitor user was refused.
 */

interface ExporterRun {
    node: string;
    kind: "redis" | "sentinel";
    url: string;
    log: string;
}

/** Metric names in a Prometheus text exposition, with the value of each `redis_up` and scrape-error line. */
function parseExposition(text: string): { names: Set<string>; lines: string[] } {
    const lines = text.split("\n").filter((line) => line !== "" && !line.startsWith("#"));
    return { names: new Set(lines.map((line) => line.split(/[{ ]/)[0])), lines };
}

async function scrape(url: string): Promise<string> {
    const response = await fetch(url);
    assert.equal(response.status, 200, `scrape ${url}`);
    return response.text();
}

/** Starts one exporter per node as the monitor user, over TLS verified by the run's CA. */
async function startExporters(deployment: LocalDeployment, supervisor: ProcessSupervisor, nodes: string[]): Promise<ExporterRun[]> {
    const ports = await freePorts(nodes.length);
    return nodes.map((name, index) => {
        const { node } = deployment.node(name);
        const script = path.join(deployment.root, `exporter-${name}.sh`);
        const log = path.join(deployment.root, `exporter-${name}.log`);
        // The password travels in the environment, never on the command line where ps would show it.
        writeFileSync(
            script,
            [
                "exec prometheus-redis-exporter",
                `--redis.addr=rediss://127.0.0.1:${node.port}`,
                "--redis.user=monitor",
                `--tls-ca-cert-file=${deployment.certs.caFile}`,
                `--web.listen-address=127.0.0.1:${ports[index]}`,
            ].join(" ") + "\n",
            { mode: 0o700 },
        );
        supervisor.start(`exporter-${name}`, script, { REDIS_PASSWORD: deployment.password("monitor") }, log);
        return { node: name, kind: node.kind, url: `http://127.0.0.1:${ports[index]}/metrics`, log };
    });
}

/** Waits until an exporter answers and reports `redis_up 1`, then returns a second, complete scrape. */
async function scrapeWhenUp(run: ExporterRun): Promise<string> {
    const deadline = Date.now() + 20000;
    for (;;) {
        try {
            const text = await scrape(run.url);
            if (/^redis_up 1$/m.test(text)) {
                return await scrape(run.url);
            }
        } catch {
            // Not listening yet.
        }
        if (Date.now() > deadline) {
            throw new Error(`exporter of ${run.node} never reported redis_up 1; its log:\n${readFileSync(run.log, "utf8").slice(-2000)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
    }
}

/** The `redis_*` names the rules and dashboard of a topology use, split by the exporter kind they select. */
function usedNames(config: ResolvedStackConfig, topology: DashboardTopology): { redis: Set<string>; sentinel: Set<string> } {
    const rules = alertRulesFor(alertDeploymentFor("local", config));
    const exprs = [...rules.map((rule) => rule.expr), ...dashboardExpressions(topology)];
    const used = { redis: new Set<string>(), sentinel: new Set<string>() };
    for (const expr of exprs) {
        // Every selector names its exporter kind; split the expression at each metric and read its selector.
        for (const match of expr.matchAll(/(redis_[a-z0-9_]+)\{([^}]*)\}/g)) {
            used[/kind="sentinel"/.test(match[2]) ? "sentinel" : "redis"].add(match[1]);
        }
        for (const name of metricNamesIn(expr)) {
            if (!used.redis.has(name) && !used.sentinel.has(name)) {
                used.redis.add(name);
            }
        }
    }
    return used;
}

/** Entries of ACL LOG that concern the monitor user. */
async function monitorDenials(deployment: LocalDeployment, node: string): Promise<unknown[]> {
    const log = (await deployment.command(node, "admin", ["ACL", "LOG"])) as unknown[][];
    return log.filter((entry) => {
        const fields = entry as unknown[];
        const index = fields.indexOf("username");
        return index >= 0 && fields[index + 1] === "monitor";
    });
}

async function exerciseData(deployment: LocalDeployment, node: string): Promise<void> {
    // One connection for all of it: a TLS handshake per command is slow and, on a busy machine, can time out.
    const client = deployment.client(node, "app");
    await client.connect();
    try {
        for (let index = 0; index < 50; index += 1) {
            await client.set(`app:${index}`, "value");
            await client.get(`app:${index}`);
            await client.get(`app:missing:${index}`);
        }
    } finally {
        client.disconnect();
    }
}

for (const topology of ["sentinel", "cluster"] as const) {
    describe(`prometheus-redis-exporter on a real TLS ${topology} deployment as the monitor user`, function () {
        const config = localStackConfig(topology === "sentinel" ? { topology, replicas: 1, sentinels: 3 } : { topology, shards: 3, replicasPerShard: 1 });
        let deployment: LocalDeployment | undefined;
        let supervisor: ProcessSupervisor | undefined;
        const scrapes = new Map<string, { kind: "redis" | "sentinel"; names: Set<string>; lines: string[] }>();
        let nodes: string[] = [];

        before(async function () {
            requireTool("prometheus-redis-exporter");
            assertRedisBinaries();
            deployment = await LocalDeployment.start({
                config: asDeploymentConfig(config),
                keepDir: process.env.KEEP_HARNESS === "1",
            });
            supervisor = new ProcessSupervisor();
            if (topology === "sentinel") {
                await exerciseData(deployment, "redis-0");
            }
            const primaries = await deployment.primaries();
            const replica = deployment.dataNodeNames.find((name) => !primaries.includes(name))!;
            nodes = topology === "sentinel" ? [primaries[0], replica, "sentinel-0"] : [primaries[0], replica];
            for (const run of await startExporters(deployment, supervisor, nodes)) {
                scrapes.set(run.node, { kind: run.kind, ...parseExposition(await scrapeWhenUp(run)) });
            }
        });

        after(async function () {
            await supervisor?.dispose();
            await deployment?.destroy();
        });

        it("exports every metric the alert rules and the dashboard use", function () {
            const used = usedNames(config, topology);
            const redisNames = new Set([...scrapes.values()].filter((one) => one.kind === "redis").flatMap((one) => [...one.names]));
            const sentinelNames = new Set([...scrapes.values()].filter((one) => one.kind === "sentinel").flatMap((one) => [...one.names]));
            assert.deepEqual([...used.redis].filter((name) => !redisNames.has(name)).sort(), [], "metrics the data-node exporters lack");
            if (topology === "sentinel") {
                assert.deepEqual([...used.sentinel].filter((name) => !sentinelNames.has(name)).sort(), [], "metrics the sentinel exporter lacks");
                assert.ok(used.sentinel.size >= 4, "the sentinel rules and panels were checked");
            }
        });

        it("reports the roles the rules count primaries with", function () {
            const [primary, replica] = nodes;
            const role = (node: string) => scrapes.get(node)!.lines.find((line) => line.startsWith("redis_instance_info{"))?.match(/role="([a-z]+)"/)?.[1];
            assert.equal(role(primary), "master");
            assert.equal(role(replica), "slave");
            assert.ok(scrapes.get(replica)!.lines.some((line) => /^redis_master_link_up\{.*\} 1$/.test(line)), "the replica's link is up");
            assert.ok(scrapes.get(primary)!.lines.some((line) => /^redis_connected_slave_lag_seconds\{.*\} \d+$/.test(line)), "the primary reports its replica's lag");
            if (topology === "sentinel") {
                assert.ok(scrapes.get("sentinel-0")!.lines.some((line) => /^redis_sentinel_master_ckquorum_status\{.*\} 1$/.test(line)));
            } else {
                assert.ok(scrapes.get(primary)!.lines.includes("redis_cluster_state 1"));
                assert.ok(scrapes.get(primary)!.lines.includes("redis_cluster_slots_assigned 16384"));
            }
        });

        it("needs nothing beyond the monitor user's ACL: no scrape error, no denial in any node's ACL LOG", async function () {
            for (const [node, scraped] of scrapes) {
                const errors = scraped.lines.filter((line) => line.startsWith("redis_exporter_last_scrape_error"));
                assert.deepEqual(errors, ['redis_exporter_last_scrape_error{err=""} 0'], `${node}: the last scrape had no error`);
            }
            for (const node of [...deployment!.dataNodeNames, ...deployment!.sentinelNames]) {
                assert.deepEqual(await monitorDenials(deployment!, node), [], `${node}: ACL LOG shows no command refused to monitor`);
            }
        });
    });
}
