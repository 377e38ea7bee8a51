import type { z } from "zod";
import { didYouMean } from "./didYouMean";
import { AnySchema, schemaDef, unwrapSchema } from "./zodWalk";

/** One thing wrong with stack config. */
export interface ConfigProblem {
    /** The full key path as a user types it, for example `redis:selfhosted.sentinels`. */
    key: string;
    /** The offending value as shown to the user (secrets are never shown). */
    value: string;
    /** What is wrong and what is allowed. */
    message: string;
}

/**
 * Every problem in a stack's config, raised before any resource is registered. The message lists each
 * problem on its own line as `key = value: what is allowed`.
 */
export class ConfigError extends Error {
    /** The problems, in the order they were found. */
    readonly problems: readonly ConfigProblem[];

    constructor(stack: string, problems: readonly ConfigProblem[]) {
        const lines = problems.map((problem) => `  - ${problem.key} = ${problem.value}: ${problem.message}`);
        super(`Invalid config for stack "${stack}" (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${lines.join("\n")}`);
        this.name = "ConfigError";
        this.problems = problems;
    }
}

/** Renders a key path the way `pulumi config set --path` spells it. */
export function formatKeyPath(namespace: string, path: readonly PropertyKey[]): string {
    let text = "";
    for (const segment of path) {
        text += typeof segment === "number" ? `[${segment}]` : `${text === "" ? "" : "."}${String(segment)}`;
    }
    return `${namespace}:${text}`;
}

/** Shows a config value briefly: JSON for data, `(not set)` for a missing key. */
export function formatValue(value: unknown): string {
    if (value === undefined) {
        return "(not set)";
    }
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Reads the value at `path` inside a plain object, or `undefined`. */
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
    let current: unknown = root;
    for (const segment of path) {
        if (current === null || typeof current !== "object") {
            return undefined;
        }
        current = (current as Record<PropertyKey, unknown>)[segment];
    }
    return current;
}


/** The keys an object schema allows at `path`, so an unknown key can be matched to a likely intended one. */
export function knownKeysAt(schema: AnySchema, path: readonly PropertyKey[]): string[] {
    let current: AnySchema | undefined = unwrapSchema(schema);
    for (const segment of path) {
        const def = schemaDef(current);
        if (def.type === "object" && typeof segment === "string") {
            current = def.shape?.[segment];
        } else if (def.type === "array") {
            current = def.element;
        } else if (def.type === "record") {
            current = def.valueType;
        } else {
            current = undefined;
        }
        if (current === undefined) {
            return [];
        }
        current = unwrapSchema(current);
    }
    const def = schemaDef(current);
    return def.type === "object" && def.shape ? Object.keys(def.shape) : [];
}

function describeType(expected: string): string {
    const names: Record<string, string> = {
        string: "a string",
        number: "a number",
        int: "a whole number",
        boolean: "true or false",
        object: "an object",
        array: "a list",
        record: "an object",
    };
    return names[expected] ?? expected;
}

function sizeMessage(issue: { origin?: string; minimum?: unknown; maximum?: unknown; inclusive?: boolean }, bound: "at least" | "at most"): string {
    const limit = Number(bound === "at least" ? issue.minimum : issue.maximum);
    switch (issue.origin) {
        case "array":
            return `must have ${bound} ${limit} entr${limit === 1 ? "y" : "ies"}`;
        case "string":
            return `must be ${bound} ${limit} character${limit === 1 ? "" : "s"} long`;
        default:
            return issue.inclusive === false ? `must be ${bound === "at least" ? "greater" : "less"} than ${limit}` : `must be ${bound} ${limit}`;
    }
}

/**
 * Turns zod's issues into problems a user can act on: the key path, the value found there, and what is
 * allowed (the options of an enum, the bounds of a number, the closest known key to an unknown one).
 */
export function problemsFromIssues(
    namespace: string,
    schema: AnySchema,
    raw: unknown,
    issues: readonly z.core.$ZodIssue[],
): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    for (const issue of issues) {
        const value = valueAt(raw, issue.path);
        switch (issue.code) {
            case "unrecognized_keys": {
                const known = knownKeysAt(schema, issue.path);
                for (const key of issue.keys) {
                    const guess = didYouMean(key, known);
                    problems.push({
                        key: formatKeyPath(namespace, [...issue.path, key]),
                        value: formatValue(valueAt(raw, [...issue.path, key])),
                        message: `is not a known key${guess ? ` (did you mean "${guess}"?)` : ""}; allowed keys here: ${known.join(", ")}`,
                    });
                }
                continue;
            }
            case "invalid_type":
                problems.push({
                    key: formatKeyPath(namespace, issue.path),
                    value: formatValue(value),
                    message: value === undefined ? "is required" : `must be ${describeType(issue.expected)}`,
                });
                continue;
            case "invalid_value": {
                const allowed = issue.values.map((option) => JSON.stringify(option)).join(", ");
                const guess = typeof value === "string" ? didYouMean(value, issue.values.map(String)) : undefined;
                problems.push({
                    key: formatKeyPath(namespace, issue.path),
                    value: formatValue(value),
                    message: value === undefined ? `is required: set it to one of ${allowed}` : `must be one of ${allowed}${guess ? ` (did you mean "${guess}"?)` : ""}`,
                });
                continue;
            }
            case "too_small":
                problems.push({ key: formatKeyPath(namespace, issue.path), value: formatValue(value), message: sizeMessage(issue, "at least") });
                continue;
            case "too_big":
                problems.push({ key: formatKeyPath(namespace, issue.path), value: formatValue(value), message: sizeMessage(issue, "at most") });
                continue;
            default:
                problems.push({ key: formatKeyPath(namespace, issue.path), value: formatValue(value), message: issue.message });
        }
    }
    return problems;
}
