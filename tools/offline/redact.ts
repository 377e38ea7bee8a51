import { createHash } from "node:crypto";
import { SECRET_PLACEHOLDER } from "../../stacks/config/stackFile";
import { MOCK_SECRET_MARKER } from "./mockRuntime";

/** What a redacted value is shown as. */
export const REDACTED = "[secret]";

/** Input names that hold credentials, at any depth. */
const SECRET_KEY = /password|passwd|token|secret|private_?key|credential|api_?key|^auth|passphrase/i;

/** Input names whose whole value is secret for one resource type. */
const SECRET_FIELDS_BY_TYPE: Readonly<Record<string, readonly string[]>> = {
    "kubernetes:core/v1:Secret": ["data", "stringData"],
    "docker:index/secret:Secret": ["data"],
};

/** The text a base64 string decodes to, when it is plausibly base64 at all. */
function decodedBase64(value: string): string | undefined {
    return value.length >= 8 && value.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(value) ? Buffer.from(value, "base64").toString("utf8") : undefined;
}

/**
 * Whether a string looks like a credential whatever its key: mock secrets (also base64-encoded),
 * stack-file placeholders, private keys, URLs with a password.
 */
export function looksSecret(value: string): boolean {
    const decoded = decodedBase64(value);
    if (decoded !== undefined && decoded !== value && looksSecret(decoded)) {
        return true;
    }
    return (
        value.includes(MOCK_SECRET_MARKER) ||
        value.includes(SECRET_PLACEHOLDER) ||
        value.includes("PRIVATE KEY") ||
        /^[a-z][a-z0-9+.-]*:\/\/[^/@\s:]*:[^/@\s]+@/i.test(value)
    );
}

/** A string, or a list holding strings: what a credential-named key would carry its credential in. */
function isTextOrTextList(value: unknown): boolean {
    return typeof value === "string" || (Array.isArray(value) && value.some((item) => typeof item === "string"));
}

/** Long or multi-line text (rendered files, scripts, policy documents) is summarised so snapshots stay readable but still change when it does. */
export function summariseText(value: string): string {
    if (!value.includes("\n") && value.length <= 400) {
        return value;
    }
    const lines = value.split("\n").length;
    return `<text: ${lines} line(s), sha256:${createHash("sha256").update(value).digest("hex").slice(0, 12)}>`;
}

/**
 * Redacts one value: text under credential-named keys and credential-looking strings become
 * {@link REDACTED}. Objects under such keys (`secret: { secretName }`, `secretKeyRef`) are walked instead,
 * so references to secrets stay reviewable. Keys are sorted.
 */
export function redactValue(value: unknown, key = ""): unknown {
    if (SECRET_KEY.test(key) && isTextOrTextList(value)) {
        return REDACTED;
    }
    if (typeof value === "string") {
        return looksSecret(value) ? REDACTED : summariseText(value);
    }
    if (Array.isArray(value)) {
        return value.map((item) => redactValue(item));
    }
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(
            Object.keys(value)
                .sort()
                .map((inner) => [inner, redactValue((value as Record<string, unknown>)[inner], inner)]),
        );
    }
    return value;
}

/** Input names that never matter for review: provider bookkeeping and tags. */
const IGNORED_INPUTS = new Set(["tags", "tagsAll"]);

/**
 * The inputs of one resource as a snapshot shows them: inputs sent as secrets and known secret fields
 * redacted, everything else redacted by {@link redactValue}, keys sorted, bookkeeping dropped.
 */
export function redactInputs(type: string, inputs: Record<string, unknown>, secretInputs: readonly string[]): Record<string, unknown> {
    const secretFields = new Set([...secretInputs, ...(SECRET_FIELDS_BY_TYPE[type] ?? [])]);
    return Object.fromEntries(
        Object.keys(inputs)
            .filter((key) => !key.startsWith("__") && !IGNORED_INPUTS.has(key) && inputs[key] !== undefined)
            .sort()
            .map((key) => [key, secretFields.has(key) ? REDACTED : redactValue(inputs[key], key)]),
    );
}
