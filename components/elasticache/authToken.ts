import type { RotationState } from "../security/passwordRotation";

/**
 * AUTH token rules of ElastiCache (16 to 128 printable characters; the only non-alphanumerics allowed are
 * `! & # $ ^ < > -`) and the update strategy that rotates a token without replacing the cluster. Pure.
 */

/** The non-alphanumeric characters ElastiCache accepts in an AUTH token. */
export const AUTH_TOKEN_SPECIAL_CHARACTERS = "!&#$^<>-";

/** The shortest and longest AUTH token ElastiCache accepts. */
export const AUTH_TOKEN_LENGTH = { min: 16, max: 128 } as const;

/**
 * Why ElastiCache would reject `token`, or `undefined` when it is acceptable. Never includes the token
 * itself, so the message is safe to print.
 */
export function authTokenProblem(token: string): string | undefined {
    if (token.length < AUTH_TOKEN_LENGTH.min || token.length > AUTH_TOKEN_LENGTH.max) {
        return `must be ${AUTH_TOKEN_LENGTH.min} to ${AUTH_TOKEN_LENGTH.max} characters long, not ${token.length}`;
    }
    const rejected = [...new Set([...token].filter((character) => !/[A-Za-z0-9]/.test(character) && !AUTH_TOKEN_SPECIAL_CHARACTERS.includes(character)))];
    if (rejected.length > 0) {
        const shown = rejected.map((character) => (/^[\x21-\x7e]$/.test(character) ? `'${character}'` : `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`));
        return `contains ${shown.join(", ")}: only letters, digits and ${AUTH_TOKEN_SPECIAL_CHARACTERS.split("").join(" ")} are allowed`;
    }
    return undefined;
}

/**
 * The `authTokenUpdateStrategy` for a rotation state. A new generation kept alongside the previous one is
 * `ROTATE` (both tokens valid, clients move over); once `keepPrevious` is dropped it is `SET`, which leaves
 * only the current token valid. Neither replaces the replication group.
 */
export function authTokenUpdateStrategy(rotation: RotationState): "ROTATE" | "SET" {
    return rotation.generation > 1 && !rotation.keepPrevious ? "SET" : "ROTATE";
}
