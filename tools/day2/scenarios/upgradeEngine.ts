import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import * as path from "node:path";
import { engineLabel, engineUpgradeEnvFor, engineUpgradePlan, EngineVersion, upgradePrimaries } from "../../../components/redisconf/engineUpgrade";
import { waitFor } from "../../harness/localDeployment";
import { CheckList } from "../checks";
import { day2BaseDir } from "../runDir";
import type { Day2Options, Day2Outcome } from "../scenario";
import { checkSwitched, LoadedRun, nodeAddress, replicaPriorities, switchoverTo, underLoad } from "../underLoad";

/** The engine and `major.minor` version a server binary reports with `--version`. */
export function engineOfBinary(binary: string): EngineVersion {
    const text = execFileSync(binary, ["--version"], { encoding: "utf8" });
    const match = /v=(\d+)\.(\d+)/.exec(text);
    if (!match) {
        throw new Error(`cannot read the version of ${binary} from: ${text.trim()}`);
    }
    return { name: /valkey/i.test(text) ? "valkey" : "redis", version: `${match[1]}.${match[2]}` };
}

/** A data node's `INFO server` and `INFO replication` fields. */
async function nodeState(run: LoadedRun, name: string): Promise<Record<string, string>> {
    return { ...(await run.deployment.info(name, "server")), ...(await run.deployment.info(name, "replication")) };
}

/** Restarts a data node on `binary` (SIGTERM, as a pod replacement does) and waits until it is back in sync. */
async function restartOn(run: LoadedRun, name: string, binary: string, stage: string): Promise<void> {
    const { deployment, checks, progress } = run;
    progress(`${stage}: restarting ${name} on ${binary}`);
    await deployment.stopNode(name, true);
    deployment.node(name).env.REDIS_SERVER_BIN = binary;
    deployment.startNode(name);
    const back = await waitFor(`${name} runs ${binary} and is in sync`, async () => {
        const state = await nodeState(run, name);
        return state.executable === binary && state.role === "slave" && state.master_link_status === "up";
    }, 60000, 250).then(() => true, () => false);
    checks.record(`${deployment.kind}: ${stage}: ${name} came back on the new binary as a replica in sync`, back);
}

/** The rolling procedure on one topology: replicas, then a switchover to upgraded replicas, then the old primaries. */
function rollingUpgrade(fromBinary: string, toBinary: string, to: EngineVersion) {
    return async (run: LoadedRun): Promise<void> => {
        const { deployment, checks } = run;
        const kind = deployment.kind;
        const roles = new Map(await Promise.all(deployment.dataNodeNames.map(async (name) => [name, (await nodeState(run, name)).role] as const)));
        const primaries = deployment.dataNodeNames.filter((name) => roles.get(name) === "master");
        const replicas = deployment.dataNodeNames.filter((name) => roles.get(name) === "slave");
        const onFrom = await Promise.all(deployment.dataNodeNames.map(async (name) => (await nodeState(run, name)).executable === fromBinary));
        checks.record(`${kind}: every node started on the old binary`, onFrom.every(Boolean));
        const priorities = await replicaPriorities(deployment);

        // 0. The pre-flight the Kubernetes Job runs before the data pods roll: refuse a node the target cannot
        // follow, and move each primary to the lowest ordinal of its group.
        const preflight = engineUpgradeEnvFor(deployment.rendered.topology, to);
        const { REDIS_ENGINES_ALLOWED, REDIS_SWITCHOVER_TO } = preflight;
        const prepared = await switchoverTo(run, REDIS_SWITCHOVER_TO, { REDIS_ENGINES_ALLOWED });
        checks.record(`${kind}: 0. the pre-flight accepted every node (${REDIS_ENGINES_ALLOWED}) and the primaries are the lowest ordinals`, prepared.length === upgradePrimaries(deployment.rendered.topology).length, JSON.stringify(prepared));

        for (const name of replicas) {
            await restartOn(run, name, toBinary, "1. replicas first");
        }
        // Each old primary hands over to one of its own replicas, all of which run the new binary now.
        const targets = await Promise.all(
            primaries.map(async (primary) => {
                for (const name of replicas) {
                    const state = await nodeState(run, name);
                    if (`${state.master_host}:${state.master_port}` === nodeAddress(deployment, primary)) {
                        return name;
                    }
                }
                throw new Error(`no replica follows ${primary}`);
            }),
        );
        const before = await Promise.all(primaries.map(async (name) => (await nodeState(run, name)).executable));
        checks.record(`${kind}: at the switchover the primaries still ran the old binary and every replica the new one`, before.every((binary) => binary === fromBinary));
        const moves = await switchoverTo(run, targets.map((name) => nodeAddress(deployment, name)).join(" "));
        checks.record(`${kind}: 2. the switchover moved every primary to an upgraded replica`, moves.length === primaries.length && moves.every((move) => move.changed), JSON.stringify(moves));
        for (const [index, primary] of primaries.entries()) {
            // In sync only once it runs the new engine too (step 3 checks that).
            await checkSwitched(run, targets[index], primary, priorities, false);
        }
        for (const name of primaries) {
            await restartOn(run, name, toBinary, "3. old primaries last");
        }
        const after = await Promise.all(deployment.dataNodeNames.map(async (name) => (await nodeState(run, name)).executable));
        checks.record(`${kind}: every data node runs the new binary`, after.every((binary) => binary === toBinary), after.join(", "));
        const primariesNow = (await Promise.all(deployment.dataNodeNames.map(async (name) => [name, (await nodeState(run, name)).role] as const))).filter(([, role]) => role === "master").map(([name]) => name);
        checks.record(`${kind}: the primaries are the upgraded replicas the switchover named`, JSON.stringify(primariesNow.sort()) === JSON.stringify([...targets].sort()), primariesNow.join(", "));
    };
}

/**
 * The rolling engine upgrade `pulumi up` performs after a `redis:engine.version` bump, on Sentinel and then
 * Cluster, under writes: every replica restarts on the new server binary, then the switchover moves each
 * primary to an upgraded replica, then the old primaries restart on the new binary. The binaries come from
 * `engineBinaries` (default both the installed `redis-server`: the order and the figures are proven even
 * without a second engine); each is copied into the run so `INFO server`'s `executable` shows which one every
 * node runs. A change the upgrade rules refuse (`engineUpgradePlan`) stops the scenario before it starts.
 */
export async function upgradeEngine(options: Day2Options = {}): Promise<Day2Outcome> {
    const progress = options.progress ?? (() => undefined);
    const checks = new CheckList(progress);
    const fromSource = options.engineBinaries?.from ?? "redis-server";
    const toSource = options.engineBinaries?.to ?? fromSource;
    const from = engineOfBinary(fromSource);
    const to = engineOfBinary(toSource);
    const plan = engineUpgradePlan(from, to);
    if (plan.kind === "refused") {
        throw new Error(`refusing ${engineLabel(from)} -> ${engineLabel(to)}: ${plan.reason}`);
    }
    progress(`upgrade ${engineLabel(from)} (${fromSource}) -> ${engineLabel(to)} (${toSource}): ${plan.kind}`);
    const dir = mkdtempSync(path.join(day2BaseDir(), "engines-"));
    try {
        const resolve = (binary: string) => (binary.includes("/") ? binary : execFileSync("sh", ["-c", `command -v ${binary}`], { encoding: "utf8" }).trim());
        const fromBinary = path.join(dir, "from-server");
        const toBinary = path.join(dir, "to-server");
        copyFileSync(resolve(fromSource), fromBinary);
        copyFileSync(resolve(toSource), toBinary);
        const figures = [];
        for (const kind of ["sentinel", "cluster"] as const) {
            figures.push(await underLoad(kind, options, checks, rollingUpgrade(fromBinary, toBinary, to), { REDIS_SERVER_BIN: fromBinary }));
        }
        return {
            result: {
                scenario: "upgrade-engine",
                failed_commands: figures.reduce((sum, figure) => sum + figure.failed, 0),
                acked_writes: { sent: figures.reduce((sum, figure) => sum + figure.sent, 0), lost: figures.reduce((sum, figure) => sum + figure.lost, 0) },
            },
            checks: checks.checks,
        };
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}
