import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";

/**
 * `{ stackOutput: "<org>/<project>/<stack>:<output>" }`: a config value taken from another stack's output
 * (through one `pulumi.StackReference` per referenced stack), so a network stack's VPC and subnet ids reach
 * this stack without copying them. `<output>` may name a nested value with dots (`network.vpcId`).
 */

/** A reference to another stack's output, as the stack file writes it. */
export interface StackOutputRef {
    stackOutput: string;
}

const REF_PATTERN = /^([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+):([A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*)$/;

/** The schema of a reference. */
export const stackOutputRefSchema = z.strictObject({
    stackOutput: z.string().regex(REF_PATTERN, { error: 'must be "<org>/<project>/<stack>:<output>" such as "acme/network/prod:vpcId"' }),
});

/**
 * A value that is either given in the stack file (`schema`) or taken from another stack's output.
 *
 * @param what what a written value must be, for the message when the value is neither (e.g. "a VPC id such as vpc-0abc123")
 */
export function orStackOutput<T extends z.ZodType>(schema: T, what: string) {
    // An object is judged as a reference (its own message names the form); anything else as the value.
    return z.union([schema, stackOutputRefSchema], {
        error: (issue) => (typeof issue.input === "object" && issue.input !== null ? undefined : `must be ${what}, or { stackOutput: "<org>/<project>/<stack>:<output>" }`),
    });
}

/** Whether a config value is a reference to another stack's output. */
export function isStackOutputRef(value: unknown): value is StackOutputRef {
    return typeof value === "object" && value !== null && !Array.isArray(value) && typeof (value as StackOutputRef).stackOutput === "string";
}

/** The stack and the output path a reference names. */
export function parseStackOutputRef(ref: StackOutputRef): { stack: string; path: string[] } {
    const match = REF_PATTERN.exec(ref.stackOutput);
    if (match === null) {
        throw new Error(`stackOutput "${ref.stackOutput}": must be "<org>/<project>/<stack>:<output>"`);
    }
    return { stack: match[1], path: match[2].split(".") };
}

/**
 * A value that only the deployment knows. Validators treat a Promise like an Output (not known yet); this one
 * never settles and is never awaited, so it holds nothing open.
 */
export const NOT_KNOWN_YET: Promise<never> = new Promise<never>(() => undefined);

/** The value as validators see it: a reference is not known yet. */
export function knownOrPending<T>(value: T | StackOutputRef): T | Promise<never> {
    return isStackOutputRef(value) ? NOT_KNOWN_YET : value;
}

/**
 * Turns references into Outputs of `pulumi.StackReference`s, one per referenced stack (created on first
 * use). A missing output fails the deployment with the stack and output named.
 */
export class StackOutputs {
    private readonly references = new Map<string, pulumi.StackReference>();

    /** The value, or the referenced output as an Output. */
    resolve<T>(value: T | StackOutputRef): T | pulumi.Output<any> {
        if (!isStackOutputRef(value)) {
            return value;
        }
        const { stack, path } = parseStackOutputRef(value);
        let reference = this.references.get(stack);
        if (reference === undefined) {
            reference = new pulumi.StackReference(stack);
            this.references.set(stack, reference);
        }
        const [name, ...rest] = path;
        return reference.requireOutput(name).apply((output) =>
            rest.reduce((inner, key, index) => {
                if (inner === null || typeof inner !== "object" || !(key in inner)) {
                    throw new Error(`stackOutput "${value.stackOutput}": stack ${stack} has no ${[name, ...rest.slice(0, index + 1)].join(".")}`);
                }
                return (inner as Record<string, unknown>)[key];
            }, output as unknown),
        );
    }
}
