import type { z } from "zod";
import { ConfigProblem, formatKeyPath, formatValue, problemsFromIssues, valueAt } from "./errors";
import { BACKENDS, CrossFieldProblem, crossFieldProblems, ParsedStackConfig, stackConfigSchema } from "./schema";
import { isSecretConfigKey, SecretConfigKey } from "./secretKeys";

/**
 * Validation of a stack's whole config in one pass: the problems of each key on its own and the problems
 * between keys, together, so a user fixes everything after one `pulumi up` instead of one layer at a time.
 */

/** What {@link validateStackConfig} found. */
export type StackConfigValidation = { ok: true; parsed: ParsedStackConfig } | { ok: false; problems: ConfigProblem[] };

/** How many times a config with bad values is repaired and parsed again before the cross-key checks give up. */
const MAX_REPAIR_ROUNDS = 5;

/** The config values to take out so the rest parses: each bad value, each unknown key, a whole list for a bad entry. */
function culpritPaths(issues: readonly z.core.$ZodIssue[], raw: unknown): PropertyKey[][] {
    return issues.flatMap((issue) => {
        const paths = issue.code === "unrecognized_keys" ? issue.keys.map((key) => [...issue.path, key]) : [issue.path];
        // An entry of a list is taken out with its whole list: removing one would shift the others' indices.
        return paths.map((path) => {
            const firstIndex = path.findIndex((segment) => typeof segment === "number");
            return firstIndex < 0 ? path : path.slice(0, firstIndex);
        });
    }).filter((path) => path.length > 0 && valueAt(raw, path) !== undefined);
}

function withoutPath(root: unknown, path: readonly PropertyKey[]): void {
    const parent = valueAt(root, path.slice(0, -1));
    if (parent !== null && typeof parent === "object") {
        delete (parent as Record<PropertyKey, unknown>)[path[path.length - 1]];
    }
}

function startsWith(path: readonly PropertyKey[], prefix: readonly PropertyKey[]): boolean {
    return prefix.length <= path.length && prefix.every((segment, index) => path[index] === segment);
}

/**
 * The cross-key problems of a config whose bad values are taken out (so their defaults, or their absence,
 * stand in), leaving out every problem about a value taken out or whose message names one: those would
 * judge a value the user did not write. `undefined` when the config cannot be repaired that way (a required
 * key is missing or has the wrong type).
 */
function crossFieldProblemsDespite(raw: Record<string, unknown>, issues: readonly z.core.$ZodIssue[], secretKeys: ReadonlySet<string>): CrossFieldProblem[] | undefined {
    const repaired = structuredClone(raw);
    const removed: PropertyKey[][] = [];
    let remaining = issues;
    for (let round = 0; round < MAX_REPAIR_ROUNDS; round++) {
        const culprits = culpritPaths(remaining, repaired);
        if (culprits.length === 0) {
            return undefined;
        }
        for (const path of culprits) {
            withoutPath(repaired, path);
            removed.push(path);
        }
        const again = stackConfigSchema.safeParse(repaired);
        if (again.success) {
            const names = removed.map((path) => formatKeyPath("", path).slice(1));
            return crossFieldProblems(again.data, secretKeys).filter(
                (problem) => !removed.some((path) => startsWith(problem.path, path) || startsWith(path, problem.path)) && !names.some((name) => problem.message.includes(name)),
            );
        }
        remaining = again.error.issues;
    }
    return undefined;
}

/**
 * The config without the sections of backends the stack did not choose, and a problem for each: a whole
 * section that does not apply is one mistake, not one per key it holds.
 */
function withoutOtherBackendSections(namespace: string, given: Record<string, unknown>): { raw: Record<string, unknown>; misplaced: ConfigProblem[] } {
    const backend = given.backend;
    if (typeof backend !== "string" || !(BACKENDS as readonly string[]).includes(backend)) {
        return { raw: given, misplaced: [] };
    }
    const raw = { ...given };
    const misplaced: ConfigProblem[] = [];
    for (const other of BACKENDS) {
        if (other !== backend && raw[other] !== undefined) {
            misplaced.push({ key: formatKeyPath(namespace, [other]), value: formatValue(raw[other]), message: `is set but backend is "${backend}": remove it or set backend to "${other}"` });
            delete raw[other];
        }
    }
    return { raw, misplaced };
}

/** A cross-key problem as the user sees it: its key, the value found there (never a secret's), the message. */
function crossFieldProblemShown(problem: CrossFieldProblem, raw: Record<string, unknown>, secretKeys: readonly SecretConfigKey[], namespace: string): ConfigProblem {
    const head = String(problem.path[0]);
    return {
        key: formatKeyPath(namespace, problem.path),
        value: isSecretConfigKey(head) ? (secretKeys.includes(head) ? "(secret)" : "(not set)") : formatValue(valueAt(raw, problem.path)),
        message: problem.message,
    };
}

/**
 * Validates a stack's plain config: every key against the schema, then every check between keys, all
 * problems reported together. When some values are bad, the cross-key checks still run on the rest (each
 * bad value taken out), so fixing the first batch never reveals a second one that was already there.
 * Pure: it registers nothing.
 *
 * @param raw this program's plain keys, parsed from JSON (see `splitConfigMap`)
 * @param secretKeys the secret keys the stack has set (their values are never read here)
 */
export function validateStackConfig(namespace: string, given: Record<string, unknown>, secretKeys: readonly SecretConfigKey[]): StackConfigValidation {
    const secretSet = new Set<string>(secretKeys);
    const { raw, misplaced } = withoutOtherBackendSections(namespace, given);
    const result = stackConfigSchema.safeParse(raw);
    if (misplaced.length > 0) {
        const rest = result.success ? crossFieldProblems(result.data, secretSet) : (crossFieldProblemsDespite(raw, result.error.issues, secretSet) ?? []);
        const schemaProblems = result.success ? [] : problemsFromIssues(namespace, stackConfigSchema, raw, result.error.issues);
        return { ok: false, problems: [...misplaced, ...schemaProblems, ...rest.map((problem) => crossFieldProblemShown(problem, raw, secretKeys, namespace))] };
    }
    if (result.success) {
        const crossField = crossFieldProblems(result.data, secretSet);
        return crossField.length === 0 ? { ok: true, parsed: result.data } : { ok: false, problems: crossField.map((problem) => crossFieldProblemShown(problem, raw, secretKeys, namespace)) };
    }
    const schemaProblems = problemsFromIssues(namespace, stackConfigSchema, raw, result.error.issues);
    const crossField = crossFieldProblemsDespite(raw, result.error.issues, secretSet) ?? [];
    return { ok: false, problems: [...schemaProblems, ...crossField.map((problem) => crossFieldProblemShown(problem, raw, secretKeys, namespace))] };
}
