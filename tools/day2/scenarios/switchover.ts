import { CheckList } from "../checks";
import type { Day2Options, Day2Outcome } from "../scenario";
import { checkSwitched, LoadedRun, nodeAddress, nodeNamed, primaryNow, replicaPriorities, switchoverTo, syncedReplicaOf, underLoad } from "../underLoad";

/** Moves the primary to a replica and back, checking each move. */
async function moveAndBack(run: LoadedRun): Promise<void> {
    const { deployment, checks, traffic } = run;
    const kind = deployment.kind;
    const first = await primaryNow(deployment);
    const priorities = await replicaPriorities(deployment);
    const target = await syncedReplicaOf(deployment, first);
    const moves = await switchoverTo(run, nodeAddress(deployment, target));
    checks.record(`${kind}: the switchover reports ${first} -> ${target}`, moves.length === 1 && moves[0].changed && nodeNamed(deployment, moves[0].from) === first && nodeNamed(deployment, moves[0].to) === target, JSON.stringify(moves));
    await checkSwitched(run, target, first, priorities);
    checks.record(`${kind}: writes are acknowledged after the switchover`, await traffic.waitForSuccesses(200));

    const again = await switchoverTo(run, nodeAddress(deployment, target));
    checks.record(`${kind}: a switchover to the primary itself changes nothing`, again.length === 1 && !again[0].changed);
    const unknown = await switchoverTo(run, "no-such-node").then(() => "accepted", (error: Error) => error.message);
    checks.record(`${kind}: a name that is no node is refused, naming the data nodes`, /names no data node of this deployment; its data nodes: /.test(unknown), unknown);

    const back = await switchoverTo(run, nodeAddress(deployment, first));
    checks.record(`${kind}: the switchover back reports ${target} -> ${first}`, back.length === 1 && back[0].changed && nodeNamed(deployment, back[0].to) === first, JSON.stringify(back));
    await checkSwitched(run, first, target, priorities);
}

/**
 * Targeted switchover under writes, on Sentinel (1 primary, 2 replicas, 3 sentinels) and then Cluster (3 x 1):
 * `npm run day2 -- switchover`'s code path (the rendered `redis-switchover.sh` run from the stack outputs)
 * moves the primary to an in-sync replica and back, while a client writes through the sentinels or the
 * cluster client; a switchover to the primary itself is a no-op and an unknown name is refused.
 */
export async function switchover(options: Day2Options = {}): Promise<Day2Outcome> {
    const checks = new CheckList(options.progress ?? (() => undefined));
    const sentinel = await underLoad("sentinel", options, checks, moveAndBack);
    const cluster = await underLoad("cluster", options, checks, moveAndBack);
    return {
        result: { scenario: "switchover", failed_commands: sentinel.failed + cluster.failed, acked_writes: { sent: sentinel.sent + cluster.sent, lost: sentinel.lost + cluster.lost } },
        checks: checks.checks,
    };
}
