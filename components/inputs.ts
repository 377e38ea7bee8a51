import * as pulumi from "@pulumi/pulumi";

/**
 * Helpers for args that are `pulumi.Input`: validators check a value when it is known at construction time
 * (a plain value) and leave an Output to be checked when it resolves.
 */

/** The value of an Input when it is plain (not an Output or a Promise), else `undefined`. */
export function knownValue<T>(input: pulumi.Input<T> | undefined): T | undefined {
    if (input === undefined || pulumi.Output.isInstance(input) || input instanceof Promise) {
        return undefined;
    }
    return input as T;
}

/** The plain strings of a list Input, or `undefined` when the list or any element is not known yet. */
export function knownStrings(input: pulumi.Input<pulumi.Input<string>[]> | undefined): string[] | undefined {
    const list = knownValue(input);
    if (list === undefined) {
        return undefined;
    }
    const values = list.map((item) => knownValue(item));
    return values.every((value): value is string => typeof value === "string") ? values : undefined;
}

/**
 * An Input checked when it resolves: `check` returns a problem (which fails the deployment with that
 * message) or `undefined`. Plain values should be checked before `super()` as well; this covers Outputs.
 */
export function checkedInput<T>(input: pulumi.Input<T>, check: (value: T) => string | undefined): pulumi.Output<T> {
    return pulumi.output(input).apply((value) => {
        const problem = check(value as T);
        if (problem !== undefined) {
            throw new Error(problem);
        }
        return value as T;
    }) as pulumi.Output<T>;
}
