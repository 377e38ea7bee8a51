import * as pulumi from "@pulumi/pulumi";

/** One problem with a component's args: the path of the argument to blame, and what is wrong and allowed. */
export interface ArgProblem {
    path: (string | number)[];
    message: string;
}

function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
    return path.reduce<unknown>((value, key) => (typeof value === "object" && value !== null ? (value as Record<string | number, unknown>)[key] : undefined), root);
}

function describe(value: unknown): string {
    if (value === undefined) {
        return "(not set)";
    }
    if (pulumi.Output.isInstance(value) || value instanceof Promise) {
        return "(known at deployment)";
    }
    return JSON.stringify(value);
}

/** Thrown before `super()` when a component's args do not fit: lists every problem with its argument and value. */
export class ComponentArgsError extends Error {
    /** The problems, in the order found. */
    public readonly problems: readonly ArgProblem[];

    constructor(component: string, name: string, args: unknown, problems: readonly ArgProblem[]) {
        const lines = problems.map((problem) => `  ${problem.path.join(".")} = ${describe(valueAt(args, problem.path))}: ${problem.message}`);
        super(`${component} "${name}": ${problems.length} invalid argument${problems.length === 1 ? "" : "s"}; no resource was created:\n${lines.join("\n")}`);
        this.name = "ComponentArgsError";
        this.problems = problems;
    }
}

/**
 * Throws {@link ComponentArgsError} when `problems` is not empty. Components call it before `super()`, so
 * bad args leave no component behind.
 */
export function throwOnProblems(component: string, name: string, args: unknown, problems: readonly ArgProblem[]): void {
    if (problems.length > 0) {
        throw new ComponentArgsError(component, name, args, problems);
    }
}
