import { execFileSync } from "node:child_process";
import { randomInt } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import type { MockOptions } from "../offline/mockRuntime";

/**
 * Mock outputs with real key material, for the runs whose resources are applied to a real Docker engine: the
 * `@pulumi/tls` resources return real keys, CSRs and certificates made with the openssl CLI from exactly the
 * inputs the program registered (algorithm, subject, SANs, validity, allowed uses), and `RandomPassword`
 * returns a fresh random password of the registered length and alphabet. Everything is made per run and held
 * in memory only (a temporary directory is used for openssl and removed at once).
 */

function plain(value: unknown): any {
    if (value !== null && typeof value === "object" && (value as Record<string, unknown>)[specialSigKey] === specialSecretSig) {
        return plain((value as { value: unknown }).value);
    }
    return value;
}

function withTempDir<T>(work: (dir: string) => T): T {
    const dir = mkdtempSync(path.join(tmpdir(), "redisplatform-tls-"));
    try {
        return work(dir);
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

function openssl(args: string[], cwd: string, input?: string): string {
    return execFileSync("openssl", args, { cwd, input, encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] });
}

/** The `-subj` of a `@pulumi/tls` subject. */
export function subjectArg(subject: { commonName?: string; organization?: string } | undefined): string {
    const escape = (text: string) => text.replace(/[/\\]/g, (char) => `\\${char}`);
    const parts = [subject?.organization === undefined ? "" : `/O=${escape(subject.organization)}`, subject?.commonName === undefined ? "" : `/CN=${escape(subject.commonName)}`];
    return parts.join("") || "/";
}

/** The openssl extension lines for `@pulumi/tls` `allowedUses` (and `isCaCertificate`). Throws on a use it does not know. */
export function extensionLines(allowedUses: readonly string[], isCa: boolean): string[] {
    const keyUsage: Record<string, string> = { cert_signing: "keyCertSign", crl_signing: "cRLSign", digital_signature: "digitalSignature", key_encipherment: "keyEncipherment" };
    const extendedUsage: Record<string, string> = { server_auth: "serverAuth", client_auth: "clientAuth" };
    const usages = allowedUses.filter((use) => use in keyUsage).map((use) => keyUsage[use]);
    const extended = allowedUses.filter((use) => use in extendedUsage).map((use) => extendedUsage[use]);
    const unknown = allowedUses.filter((use) => !(use in keyUsage) && !(use in extendedUsage));
    if (unknown.length > 0) {
        throw new Error(`allowedUses ${unknown.join(", ")}: not one of ${[...Object.keys(keyUsage), ...Object.keys(extendedUsage)].join(", ")}`);
    }
    return [
        `basicConstraints=critical,CA:${isCa ? "TRUE" : "FALSE"}`,
        ...(usages.length > 0 ? [`keyUsage=critical,${usages.join(",")}`] : []),
        ...(extended.length > 0 ? [`extendedKeyUsage=${extended.join(",")}`] : []),
    ];
}

/** The subjectAltName extension of registered `dnsNames` and `ipAddresses`, or none. */
export function subjectAltName(dnsNames: readonly string[] = [], ipAddresses: readonly string[] = []): string | undefined {
    const names = [...dnsNames.map((name) => `DNS:${name}`), ...ipAddresses.map((ip) => `IP:${ip}`)];
    return names.length === 0 ? undefined : `subjectAltName=${names.join(",")}`;
}

function days(hours: unknown): string {
    return String(Math.max(1, Math.ceil(Number(hours ?? 24) / 24)));
}

function privateKey(inputs: Record<string, any>): Record<string, string> {
    return withTempDir((dir) => {
        const algorithm = plain(inputs.algorithm);
        if (algorithm === "ECDSA") {
            const curve = { P224: "P-224", P256: "prime256v1", P384: "secp384r1", P521: "secp521r1" }[String(plain(inputs.ecdsaCurve) ?? "P224")];
            openssl(["ecparam", "-name", curve ?? "prime256v1", "-genkey", "-noout", "-out", "key.pem"], dir);
        } else if (algorithm === "RSA") {
            openssl(["genrsa", "-traditional", "-out", "key.pem", String(plain(inputs.rsaBits) ?? 2048)], dir);
        } else {
            throw new Error(`tls.PrivateKey algorithm ${String(algorithm)}: only ECDSA and RSA are generated here`);
        }
        return { privateKeyPem: openssl(["pkey", "-in", "key.pem", "-traditional"], dir), publicKeyPem: openssl(["pkey", "-in", "key.pem", "-pubout"], dir) };
    });
}

function selfSignedCert(inputs: Record<string, any>): Record<string, string> {
    return withTempDir((dir) => {
        writeFileSync(path.join(dir, "key.pem"), plain(inputs.privateKeyPem), { mode: 0o600 });
        const extensions = [...extensionLines(plain(inputs.allowedUses) ?? [], plain(inputs.isCaCertificate) === true), subjectAltName(plain(inputs.dnsNames), plain(inputs.ipAddresses))];
        const args = ["req", "-x509", "-new", "-key", "key.pem", "-subj", subjectArg(plain(inputs.subject)), "-days", days(plain(inputs.validityPeriodHours))];
        return { certPem: openssl([...args, ...extensions.flatMap((line) => (line === undefined ? [] : ["-addext", line]))], dir) };
    });
}

function certRequest(inputs: Record<string, any>): Record<string, string> {
    return withTempDir((dir) => {
        writeFileSync(path.join(dir, "key.pem"), plain(inputs.privateKeyPem), { mode: 0o600 });
        const san = subjectAltName(plain(inputs.dnsNames), plain(inputs.ipAddresses));
        return { certRequestPem: openssl(["req", "-new", "-key", "key.pem", "-subj", subjectArg(plain(inputs.subject)), ...(san === undefined ? [] : ["-addext", san])], dir) };
    });
}

function locallySignedCert(inputs: Record<string, any>): Record<string, string> {
    return withTempDir((dir) => {
        writeFileSync(path.join(dir, "req.pem"), plain(inputs.certRequestPem));
        writeFileSync(path.join(dir, "ca.pem"), plain(inputs.caCertPem));
        writeFileSync(path.join(dir, "ca.key"), plain(inputs.caPrivateKeyPem), { mode: 0o600 });
        writeFileSync(path.join(dir, "ext.cnf"), `${extensionLines(plain(inputs.allowedUses) ?? [], false).join("\n")}\n`);
        const serial = `0x${randomInt(1, 2 ** 47).toString(16)}`;
        const args = ["x509", "-req", "-in", "req.pem", "-CA", "ca.pem", "-CAkey", "ca.key", "-set_serial", serial, "-days", days(plain(inputs.validityPeriodHours))];
        // The SANs travel in the request, as with the tls provider; the usages come from the signer's inputs.
        return { certPem: openssl([...args, "-copy_extensions", "copy", "-extfile", "ext.cnf"], dir) };
    });
}

/** A random password with the registered length and alphabet (`special`, `upper`, `lower`, `numeric` flags). */
export function randomPassword(inputs: Record<string, any>): string {
    const length = Number(plain(inputs.length));
    if (!Number.isInteger(length) || length < 1) {
        throw new Error(`random.RandomPassword length ${String(inputs.length)}: must be a positive whole number`);
    }
    const flag = (key: string, fallback: boolean) => (plain(inputs[key]) ?? fallback) !== false;
    const alphabet = [
        flag("upper", true) ? "ABCDEFGHIJKLMNOPQRSTUVWXYZ" : "",
        flag("lower", true) ? "abcdefghijklmnopqrstuvwxyz" : "",
        flag("numeric", true) ? "0123456789" : "",
        flag("special", true) ? String(plain(inputs.overrideSpecial) ?? "!@#$%&*()-_=+[]{}<>:?") : "",
    ].join("");
    return Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join("");
}

/** Real outputs for the key-material resource types; merge over the offline outputs. */
export const REAL_MATERIAL_OUTPUTS: NonNullable<MockOptions["outputs"]> = {
    "tls:index/privateKey:PrivateKey": (_name, inputs) => privateKey(inputs),
    "tls:index/selfSignedCert:SelfSignedCert": (_name, inputs) => selfSignedCert(inputs),
    "tls:index/certRequest:CertRequest": (_name, inputs) => certRequest(inputs),
    "tls:index/locallySignedCert:LocallySignedCert": (_name, inputs) => locallySignedCert(inputs),
    "random:index/randomPassword:RandomPassword": (_name, inputs) => ({ result: randomPassword(inputs) }),
};
