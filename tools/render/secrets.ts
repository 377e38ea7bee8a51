import { MOCK_SECRET_MARKER } from "../offline/mockRuntime";
import { looksSecret } from "../offline/redact";
import { SECRET_PLACEHOLDER } from "../../stacks/config/stackFile";

/** What a redacted value is rendered as. */
export const RENDER_REDACTED = "<redacted>";

/**
 * Every secret an offline run can carry is a recognisable mock value (generated passwords, private keys,
 * secret config) or the stack file's placeholder for an encrypted value; password hashes are derived from
 * them. These patterns match each of them whole.
 */
const SECRET_PATTERNS: readonly RegExp[] = [
    new RegExp(`-----BEGIN ${MOCK_SECRET_MARKER}[^\n]*?-----`, "g"),
    new RegExp(`${MOCK_SECRET_MARKER}[A-Za-z0-9._:/@+-]*`, "g"),
    new RegExp(SECRET_PLACEHOLDER, "g"),
    /#[0-9a-f]{64}/g,
];

/** Replaces every secret in a rendered text (and every ACL password hash) with {@link RENDER_REDACTED}. Pure. */
export function redactRendered(text: string): string {
    return SECRET_PATTERNS.reduce((redacted, pattern) => redacted.replace(pattern, (match) => (match.startsWith("#") ? `#${RENDER_REDACTED}` : RENDER_REDACTED)), text);
}

/** Whether a text is nothing but a secret (a password file, a private key): such files are not rendered at all. Pure. */
export function isOnlySecret(text: string): boolean {
    return text.trim() !== "" && redactRendered(text).trim() === RENDER_REDACTED;
}

/**
 * Guards the output: no file may still look like it holds a credential (the snapshot's test,
 * {@link looksSecret}), nor a mock secret base64-encoded inside a longer text.
 *
 * @throws Error naming the file that still holds one
 */
export function assertNoSecrets(files: readonly { path: string; content: string }[]): void {
    const encoded = Buffer.from(MOCK_SECRET_MARKER).toString("base64").slice(0, 8);
    for (const file of files) {
        if (looksSecret(file.content) || file.content.includes(encoded)) {
            throw new Error(`render: ${file.path} would hold a secret; nothing was written`);
        }
    }
}
