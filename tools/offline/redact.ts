import { createHash } from "node:crypto";
import { SECRET_PLACEHOLDER } from "../../stacks/config/stackFile";
import { MOCK_SECRET_MARKER } from "./mockRuntime";

/** What a redacted value is shown as. */
export const REDACTED = "[secret]";

/** Input names that hold credentials, at any depth. */
const SECRET_KEY = /password|passwd|token|secret|private_?key|credential|api_?key|^auth|passphrase/i;

/** A text a snapshot shows in full below a resource's inputs: a rendered file, script or document with no secret in it. */
export interface SynthFile {
    /** Where the text sits in the inputs (`data["redis.conf"]`, `uploads[2].content`), with the upload's path when known. */
    path: string;
    content: string;
}

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
 * Input names of one resource type that the program sends as one secret although only some items in them
 * are secrets (a Docker container's `uploads` mixes redis.conf with password files). Their items are
 * redacted one by one, each text shown only when it holds no credential.
 */
const MIXED_SECRET_FIELDS_BY_TYPE: Readonly<Record<string, readonly string[]>> = {
    "docker:index/container:Container": ["uploads"],
};

/**
 * Whether a string looks like a credential whatever its key: mock secrets (also base64-encoded),
 * stack-file placeholders, private keys, URLs with a password, ACL password hashes.
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
        /#[0-9a-f]{64}/.test(value) ||
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

/** A JSON document indented (one-line policy documents and dashboards diff line by line), any other text as is. Pure. */
export function readableText(text: string): string {
    if (!/^\s*[[{]/.test(text)) {
        return text;
    }
    try {
        return `${JSON.stringify(JSON.parse(text), null, 2)}\n`;
    } catch {
        return text;
    }
}

/** `a.b`, `a["b.c"]`, `a[2]`: a readable path into the inputs. */
function childPath(parent: string, key: string | number): string {
    if (typeof key === "number") {
        return `${parent}[${key}]`;
    }
    return /^[A-Za-z_$][\w$]*$/.test(key) ? (parent === "" ? key : `${parent}.${key}`) : `${parent}[${JSON.stringify(key)}]`;
}

/**
 * Redacts one value: text under credential-named keys and credential-looking strings become
 * {@link REDACTED}. Objects under such keys (`secret: { secretName }`, `secretKeyRef`) are walked instead,
 * so references to secrets stay reviewable. Keys are sorted. Long or multi-line texts are summarised, and
 * when `files` is given, added to it in full (they hold no credential, or they would be redacted).
 */
export function redactValue(value: unknown, key = "", files?: SynthFile[], path = key): unknown {
    if (SECRET_KEY.test(key) && isTextOrTextList(value)) {
        return REDACTED;
    }
    if (typeof value === "string") {
        if (looksSecret(value)) {
            return REDACTED;
        }
        const summary = summariseText(value);
        if (summary !== value) {
            files?.push({ path, content: readableText(value) });
        }
        return summary;
    }
    if (Array.isArray(value)) {
        return value.map((item, index) => redactValue(item, "", files, childPath(path, index)));
    }
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(
            Object.keys(value)
                .sort()
                .map((inner) => [inner, redactValue((value as Record<string, unknown>)[inner], inner, files, childPath(path, inner))]),
        );
    }
    return value;
}

/** Names each upload's text after the file it becomes (`uploads[2].content (/etc/redis/conf/node.conf)`). Pure. */
function namedAfterUploads(files: readonly SynthFile[], uploads: unknown): SynthFile[] {
    return files.map((file) => {
        const index = /^uploads\[(\d+)\]/.exec(file.path)?.[1];
        const name = Array.isArray(uploads) && index !== undefined ? (uploads[Number(index)] as { file?: unknown } | undefined)?.file : undefined;
        return typeof name === "string" ? { ...file, path: `${file.path} (${name})` } : file;
    });
}

/** Input names that never matter for review: provider bookkeeping and tags. */
const IGNORED_INPUTS = new Set(["tags", "tagsAll"]);

/**
 * The inputs of one resource as a snapshot shows them: inputs sent as secrets and known secret fields
 * redacted, everything else redacted by {@link redactValue}, keys sorted, bookkeeping dropped. Inputs that
 * mix secret and plain items ({@link MIXED_SECRET_FIELDS_BY_TYPE}) are redacted item by item. Texts shown in
 * full are added to `files`.
 */
export function redactInputs(type: string, inputs: Record<string, unknown>, secretInputs: readonly string[], files?: SynthFile[]): Record<string, unknown> {
    const mixed = new Set(MIXED_SECRET_FIELDS_BY_TYPE[type] ?? []);
    const secretFields = new Set([...secretInputs.filter((key) => !mixed.has(key)), ...(SECRET_FIELDS_BY_TYPE[type] ?? [])]);
    const redactOne = (key: string): unknown => {
        if (secretFields.has(key)) {
            return REDACTED;
        }
        const shown: SynthFile[] = [];
        const redacted = redactValue(inputs[key], key, shown);
        files?.push(...(mixed.has(key) ? namedAfterUploads(shown, inputs[key]) : shown));
        return redacted;
    };
    return Object.fromEntries(
        Object.keys(inputs)
            .filter((key) => !key.startsWith("__") && !IGNORED_INPUTS.has(key) && inputs[key] !== undefined)
            .sort()
            .map((key) => [key, redactOne(key)]),
    );
}
