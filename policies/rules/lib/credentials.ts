/**
 * What a credential looks like, by name and by value, for the rules that look for passwords where they do
 * not belong (env variables, ConfigMaps, stack outputs). Pure.
 */

/** Names that say an environment variable carries a credential. */
export const SECRET_ENV_NAME = /PASS|SECRET|TOKEN|CREDENTIAL|PRIVATE|API_?KEY|AUTH/i;

/**
 * Whether an environment variable's name says it carries a credential itself. Names ending in `_FILE`,
 * `_DIR` or `_PATH` point at mounted files, which is the safe pattern.
 */
export function isCredentialEnvName(name: string): boolean {
    return SECRET_ENV_NAME.test(name) && !/_(FILE|DIR|PATH)$/i.test(name);
}

/** Whether a value holds a credential whatever its name: a URL with a password (anywhere in it), or a PEM private key. */
export function isCredentialValue(value: string): boolean {
    return /\b[a-z][a-z0-9+.-]*:\/\/[^/@\s:]*:[^/@\s]+@/i.test(value) || value.includes("PRIVATE KEY");
}

/** The `NAME=value` pairs of an env file (or Docker `envs`), skipping comments and blank lines. */
export function envPairs(lines: readonly string[]): [string, string][] {
    return lines
        .map((line) => line.trim())
        .filter((line) => line !== "" && !line.startsWith("#") && line.includes("="))
        .map((line) => {
            const at = line.indexOf("=");
            return [line.slice(0, at).replace(/^export\s+/, ""), line.slice(at + 1).replace(/^["']|["']$/g, "")];
        });
}

const CREDENTIAL_KEY = /password|passwd|token|secret|private_?key|credential|auth/i;

/**
 * Where a value holds a credential: strings under a credential-named key, URLs with a password, PEM private
 * keys. Returns the paths (never the values).
 */
export function credentialPaths(value: unknown, path = ""): string[] {
    if (typeof value === "string") {
        const named = CREDENTIAL_KEY.test(path.split(".").pop() ?? "") && value.length > 0;
        return named || isCredentialValue(value) ? [path] : [];
    }
    if (value !== null && typeof value === "object") {
        return Object.entries(value).flatMap(([key, inner]) => credentialPaths(inner, path === "" ? key : `${path}.${key}`));
    }
    return [];
}
