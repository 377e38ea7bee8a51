/**
 * Small readers for resource properties. Policies see plain JSON (secrets unwrapped, unknowns possibly
 * missing during a preview), so every reader tolerates a missing or mistyped value.
 */

/** A plain object, or `undefined` when the value is not one. */
export function record(value: unknown): Record<string, unknown> | undefined {
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** The value as an array of records; a single record becomes a one-element array, anything else empty. */
export function records(value: unknown): Record<string, unknown>[] {
    if (Array.isArray(value)) {
        return value.map(record).filter((item): item is Record<string, unknown> => item !== undefined);
    }
    const single = record(value);
    return single === undefined ? [] : [single];
}

/** The value as an array of strings, dropping anything else. */
export function strings(value: unknown): string[] {
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

/** The value if it is a non-empty string. */
export function text(value: unknown): string | undefined {
    return typeof value === "string" && value.length > 0 ? value : undefined;
}

/** The value as a number; numeric strings count (Kubernetes and Docker accept both). */
export function numeric(value: unknown): number | undefined {
    if (typeof value === "number" && Number.isFinite(value)) {
        return value;
    }
    if (typeof value === "string" && /^-?[0-9]+$/.test(value.trim())) {
        return Number(value.trim());
    }
    return undefined;
}

/** Follows a path of keys into nested objects. */
export function at(value: unknown, ...path: string[]): unknown {
    let current: unknown = value;
    for (const key of path) {
        const object = record(current);
        if (object === undefined) {
            return undefined;
        }
        current = object[key];
    }
    return current;
}

/** Shows a value in a message: strings quoted, `undefined` as "unset". Never pass a secret to it. */
export function show(value: unknown): string {
    if (value === undefined) {
        return "unset";
    }
    return JSON.stringify(value);
}
