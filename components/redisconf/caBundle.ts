/**
 * CA bundles for a CA rollover. Redis (`tls-ca-cert-file`) and clients trust every certificate in the CA
 * file, so during the overlap the file holds the old and the new CA, and neither side ever meets a
 * certificate it cannot verify. Pure.
 */

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+?)-----END CERTIFICATE-----/g;

/**
 * The certificates of a PEM text, each normalized to `-----BEGIN CERTIFICATE-----`, 64-column base64 lines
 * and `-----END CERTIFICATE-----` with a final newline.
 *
 * @throws Error when the text holds a private key, or anything but certificates and blank lines
 */
export function splitPemCertificates(pem: string): string[] {
    if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) {
        throw new Error("refusing a CA bundle that holds a private key: a CA file must only hold certificates");
    }
    const certificates: string[] = [];
    const rest = pem.replace(PEM_CERTIFICATE, (_match, body: string) => {
        const base64 = body.replace(/\s+/g, "");
        const lines = base64.match(/.{1,64}/g) ?? [];
        certificates.push(`-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`);
        return "";
    });
    if (rest.trim() !== "") {
        throw new Error("the CA text holds something other than PEM certificates");
    }
    return certificates;
}

/**
 * One CA file holding every certificate of `pems` once, in the order given (later duplicates dropped).
 *
 * @param pems PEM texts, each holding one or more certificates (the current CA first by convention)
 * @throws Error when no certificate is given, or when a text is not only certificates
 */
export function caBundle(pems: readonly string[]): string {
    const seen = new Set<string>();
    const unique: string[] = [];
    for (const certificate of pems.flatMap(splitPemCertificates)) {
        if (!seen.has(certificate)) {
            seen.add(certificate);
            unique.push(certificate);
        }
    }
    if (unique.length === 0) {
        throw new Error("a CA bundle needs at least one certificate");
    }
    return unique.join("");
}

/**
 * The phases of a CA rollover, in order:
 *
 * 1. `trust-both`: every node and client trusts old and new CA; server certificates are still the old CA's.
 * 2. `serve-new`: server (and client) certificates are reissued by the new CA; both CAs are still trusted,
 *    so peers and clients that have not reconnected yet, or still present old client certificates, work.
 * 3. `retire-old`: only the new CA is trusted.
 */
export const CA_ROLLOVER_PHASES = ["trust-both", "serve-new", "retire-old"] as const;

/** A phase of a CA rollover. */
export type CaRolloverPhase = (typeof CA_ROLLOVER_PHASES)[number];

/** What every node and client holds during one phase of a CA rollover. */
export interface CaRolloverFiles {
    /** The CA file every node (`tls-ca-cert-file`) and client trusts. */
    trustedCaPem: string;
    /** Which CA signs the certificates nodes present in this phase. */
    certificatesIssuedBy: "old" | "new";
}

/**
 * The CA file and issuer of one rollover phase. Skipping a phase is what breaks clients: a client that
 * trusts only the old CA cannot verify a server certificate of the new one.
 */
export function caRolloverFiles(phase: CaRolloverPhase, oldCaPem: string, newCaPem: string): CaRolloverFiles {
    switch (phase) {
        case "trust-both":
            return { trustedCaPem: caBundle([oldCaPem, newCaPem]), certificatesIssuedBy: "old" };
        case "serve-new":
            return { trustedCaPem: caBundle([newCaPem, oldCaPem]), certificatesIssuedBy: "new" };
        case "retire-old":
            return { trustedCaPem: caBundle([newCaPem]), certificatesIssuedBy: "new" };
    }
}

/**
 * The phase after `phase`, or `undefined` after the last one.
 */
export function nextCaRolloverPhase(phase: CaRolloverPhase): CaRolloverPhase | undefined {
    return CA_ROLLOVER_PHASES[CA_ROLLOVER_PHASES.indexOf(phase) + 1];
}
