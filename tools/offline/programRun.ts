import { existsSync } from "node:fs";
import * as path from "node:path";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { readStackFile, StackFileConfig } from "../../stacks/config/stackFile";
import { OFFLINE_INVOKES, OFFLINE_OUTPUTS, offlineConfig } from "./answers";
import { OfflineTarget, stackNameOf } from "./offlineTarget";
import { resolveOutputs, runWithMocks } from "./mockRuntime";
import { BackendNotAvailableError } from "../../components/backend";
import type { RecordedResource, ResolvedOutput } from "./mockRuntime";

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

/** Reads the target's stack file (a missing file is an error naming it); no file means an empty config. */
export function targetConfig(target: OfflineTarget): StackFileConfig {
    if (target.stackFile === undefined) {
        return { config: {}, secretKeys: [] };
    }
    if (!existsSync(target.stackFile)) {
        throw new Error(`--stack-file ${target.stackFile}: no such file`);
    }
    return readStackFile(stackNameOf(target.stackFile), path.dirname(path.resolve(target.stackFile)));
}

/**
 * Loads a program module the way the Pulumi Node.js host does: its top level registers resources; if it
 * exports a function, that function is the program and its (possibly asynchronous) result holds the
 * outputs; otherwise its exports are the outputs.
 */
function loadProgram(file: string): unknown {
    // require (not import) so the module's registrations start inside the mock run, synchronously.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require(path.resolve(file)) as Record<string, unknown>;
    const main = typeof loaded === "function" ? loaded : typeof loaded?.default === "function" ? loaded.default : undefined;
    return main !== undefined ? (main as () => unknown)() : loaded;
}

/** Only the exported values that can be stack outputs. */
function outputsOf(value: unknown): Record<string, unknown> {
    if (value === null || typeof value !== "object") {
        return {};
    }
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([key, inner]) => key !== "default" && key !== "__esModule" && typeof inner !== "function"));
}

/**
 * Runs the target's program under the mock runtime with the shared invoke answers and mock values for secret
 * config the file cannot hold, and says whether it built, was refused because its backend is not available
 * yet, or failed. Nothing is written anywhere.
 */
export async function runTargetOffline(target: OfflineTarget): Promise<OfflineStackRun> {
    const failed = (error: unknown, resources: OfflineStackRun["resources"] = []): OfflineStackRun => ({
        stack: target.stack,
        status: isBackendNotAvailable(error) ? "unavailable" : "failed",
        error: String(error instanceof Error ? error.message : error),
        resources,
        outputs: {},
    });
    let config: Record<string, string>;
    let secretKeys: string[];
    let program: () => unknown;
    try {
        ({ config, secretKeys } = offlineConfig(targetConfig(target)));
        if (target.program === undefined) {
            const { redisProgram } = await import("../../stacks/program");
            program = () => redisProgram(target.stack, config);
        } else {
            const programFile = target.program;
            if (!existsSync(programFile)) {
                throw new Error(`--program ${programFile}: no such file`);
            }
            program = () => loadProgram(programFile);
        }
    } catch (error) {
        return failed(error);
    }
    const run = await runWithMocks(program, { stack: target.stack, config, secretKeys, invokes: OFFLINE_INVOKES, outputs: OFFLINE_OUTPUTS });
    if (run.error !== undefined) {
        return failed(run.error, run.resources);
    }
    try {
        const result = await run.result;
        // An asynchronous program registers after runWithMocks returned: wait for those registrations too.
        await (settings as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
        return { stack: target.stack, status: "ok", resources: run.resources, outputs: await resolveOutputs(outputsOf(result)) };
    } catch (error) {
        return failed(error, run.resources);
    }
}
