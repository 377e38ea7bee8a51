import * as path from "node:path";
import { stackFilePath } from "../../stacks/config/stackFile";

/** What an offline policy run checks: a stack's config (from a file, or none) and the program that builds it. */
export interface OfflineTarget {
    /** The stack name the program sees (`pulumi.getStack()`). */
    stack: string;
    /** The `Pulumi.<stack>.yaml` whose config the program gets; none gives the program an empty config. */
    stackFile?: string;
    /** A program module (TypeScript or JavaScript); none runs this project's program (`stacks/program.ts`). */
    program?: string;
}

/** The stack name in a `Pulumi.<stack>.yaml` file name. */
export function stackNameOf(stackFile: string): string {
    const match = /^Pulumi\.([A-Za-z0-9_.-]+)\.ya?ml$/.exec(path.basename(stackFile));
    if (match === null) {
        throw new Error(`--stack-file ${stackFile}: name it Pulumi.<stack>.yaml, as Pulumi does; the stack name comes from it`);
    }
    return match[1];
}

/** The shipped stack's own file, as a target. */
export function shippedTarget(stack: string): OfflineTarget {
    return { stack, stackFile: stackFilePath(stack) };
}
