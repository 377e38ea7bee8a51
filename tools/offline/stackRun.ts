import { BackendNotAvailableError } from "../../components/backend";
import { readStackFile } from "../../stacks/config/stackFile";
import { OFFLINE_INVOKES, OFFLINE_OUTPUTS, offlineSecretsFor } from "./answers";
import { RecordedResource, ResolvedOutput, runStack } from "./mockRuntime";

/** How an offline run of a stack ended. */
export type OfflineStatus = "ok" | "unavailable" | "failed";

/** A stack's program run offline, classified. */
export interface OfflineStackRun {
    stack: string;
    status: OfflineStatus;
    /** Why the run did not finish: the backend has not landed, or the program threw. */
    error?: string;
    resources: RecordedResource[];
    outputs: Record<string, ResolvedOutput>;
}

/** Whether an error is the facade's "this backend has not landed yet". */
export function isBackendNotAvailable(error: unknown): boolean {
    return error instanceof BackendNotAvailableError || (error instanceof Error && error.name === "BackendNotAvailableError");
}

/**
 * Runs the real program of `Pulumi.<stack>.yaml` under the mock runtime with the shared invoke answers (and
 * mock values for secret config the file cannot hold), and
 * says whether it built, was refused because its backend is not available yet, or failed.
 */
export async function runStackOffline(stack: string): Promise<OfflineStackRun> {
    let run: Awaited<ReturnType<typeof runStack>>;
    try {
        const secrets = offlineSecretsFor(readStackFile(stack).config);
        run = await runStack(stack, { invokes: OFFLINE_INVOKES, outputs: OFFLINE_OUTPUTS, secrets });
    } catch (error) {
        return { stack, status: isBackendNotAvailable(error) ? "unavailable" : "failed", error: String(error instanceof Error ? error.message : error), resources: [], outputs: {} };
    }
    if (run.error !== undefined) {
        const status = isBackendNotAvailable(run.error) ? "unavailable" : "failed";
        return { stack, status, error: String(run.error instanceof Error ? run.error.message : run.error), resources: run.resources, outputs: run.outputs };
    }
    return { stack, status: "ok", resources: run.resources, outputs: run.outputs };
}
