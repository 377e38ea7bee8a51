import type { IJob } from "kubernetes-models/batch/v1/Job";
import type { ScriptEnv } from "../../redisconf/scripts/env";
import { SWITCHOVER_SCRIPT } from "../../redisconf/scripts/switchover";
import { SCRIPTS_DIR } from "./files";
import type { PodPlan } from "./pods";
import { scriptJob } from "./scriptJob";

/**
 * The Jobs that run `redis-switchover.sh` in the cluster: the `redis:selfhosted.switchoverTo` switchover, and
 * the engine upgrade's pre-flight, which moves every primary to the lowest ordinal of its group before the
 * data StatefulSet rolls. Pure.
 */

/** Which of the two a Job is. */
export type SwitchoverJobKind = "switchover" | "engine-upgrade";

/**
 * A Job running `redis-switchover.sh` once with `env`. It logs in as `admin` (data nodes) and `sentinel`
 * (sentinels) from the passwords Secret and reaches the nodes with the shared client certificate; a rerun is
 * harmless (a target that is primary already is left alone), so it retries twice.
 *
 * @param contentHash the digest of what the Job does, in its pod template, so a change replaces the Job
 */
export function switchoverJob(plan: PodPlan, kind: SwitchoverJobKind, env: ScriptEnv, contentHash: string): IJob {
    return scriptJob(plan, {
        name: `${plan.names.base}-${kind}`,
        component: kind,
        container: kind,
        command: ["/bin/sh", `${SCRIPTS_DIR}/${SWITCHOVER_SCRIPT}`],
        env,
        users: plan.topology.kind === "sentinel" ? ["admin", "sentinel"] : ["admin"],
        backoffLimit: 2,
        activeDeadlineSeconds: 900,
        contentHash,
    });
}
