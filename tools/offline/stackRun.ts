import { shippedTarget } from "./offlineTarget";
import { OfflineStackRun, runTargetOffline } from "./programRun";

export { isBackendNotAvailable } from "./programRun";
export type { OfflineStackRun, OfflineStatus } from "./programRun";

/**
 * Runs the real program of `Pulumi.<stack>.yaml` under the mock runtime with the shared invoke answers (and
 * mock values for secret config the file cannot hold), and says whether it built, was refused because its
 * backend is not available yet, or failed.
 */
export async function runStackOffline(stack: string): Promise<OfflineStackRun> {
    return runTargetOffline(shippedTarget(stack));
}
