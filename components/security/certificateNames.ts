/**
 * Pure helpers for the certificates {@link CertificateAuthority} issues: which names go into a
 * certificate, which uses it allows, and checks on its arguments.
 */

/** The names and addresses one server certificate must cover. */
export interface ServerCertificateSpec {
    /** A short, unique name for the node (`redis-0`, `sentinel-1`); becomes the subject common name. */
    name: string;
    /** Every DNS name clients and peers use to reach this node. */
    dnsNames: string[];
    /** Every IP address clients and peers use to reach this node. @default [] */
    ipAddresses?: string[];
}

/** Key uses of the CA certificate. */
export const CA_ALLOWED_USES = ["cert_signing", "crl_signing", "digital_signature"];

/**
 * Key uses of a node certificate. Nodes present their certificate as servers and also as clients: a replica
 * dialling its primary and a cluster node dialling the bus authenticate with the same certificate.
 */
export const SERVER_ALLOWED_USES = ["digital_signature", "key_encipherment", "server_auth", "client_auth"];

/** Key uses of a client certificate for mTLS. */
export const CLIENT_ALLOWED_USES = ["digital_signature", "key_encipherment", "client_auth"];

/** The loopback names added to every server certificate when `includeLocalhost` is set. */
export const LOCALHOST_NAMES = { dnsNames: ["localhost"], ipAddresses: ["127.0.0.1", "::1"] };

/** The subject alternative names of one server certificate: its own names, loopback if asked, deduplicated. */
export function serverSubjectAltNames(spec: ServerCertificateSpec, includeLocalhost: boolean): { dnsNames: string[]; ipAddresses: string[] } {
    const dnsNames = [...spec.dnsNames, ...(includeLocalhost ? LOCALHOST_NAMES.dnsNames : [])];
    const ipAddresses = [...(spec.ipAddresses ?? []), ...(includeLocalhost ? LOCALHOST_NAMES.ipAddresses : [])];
    return { dnsNames: [...new Set(dnsNames)], ipAddresses: [...new Set(ipAddresses)] };
}

/** Converts days to the hours `@pulumi/tls` expects. */
export function daysToHours(days: number): number {
    return days * 24;
}

const NODE_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Checks the plain arguments of a certificate authority, so a mistake fails before any key is generated.
 *
 * @throws Error naming the argument, the value and what is allowed
 */
export function validateCertificateArgs(args: {
    servers: readonly ServerCertificateSpec[];
    clients?: readonly string[];
    validityDays: number;
    earlyRenewalDays: number;
    caValidityDays: number;
}): void {
    if (!Number.isInteger(args.validityDays) || args.validityDays < 1) {
        throw new Error(`CertificateAuthority: validityDays = ${args.validityDays}: must be a whole number of days, at least 1`);
    }
    if (!Number.isInteger(args.earlyRenewalDays) || args.earlyRenewalDays < 0 || args.earlyRenewalDays >= args.validityDays) {
        throw new Error(`CertificateAuthority: earlyRenewalDays = ${args.earlyRenewalDays}: must be a whole number from 0 to validityDays - 1 (${args.validityDays - 1})`);
    }
    if (args.caValidityDays < args.validityDays) {
        throw new Error(`CertificateAuthority: caValidityDays = ${args.caValidityDays}: must be at least validityDays (${args.validityDays}), or certificates outlive their CA`);
    }
    const names = new Set<string>();
    for (const name of [...args.servers.map((server) => server.name), ...(args.clients ?? [])]) {
        if (!NODE_NAME.test(name)) {
            throw new Error(`CertificateAuthority: certificate name "${name}": must be lower-case letters, digits and '-', at most 63`);
        }
        if (names.has(name)) {
            throw new Error(`CertificateAuthority: certificate name "${name}" is used twice: server and client names must be unique`);
        }
        names.add(name);
    }
    for (const server of args.servers) {
        if (server.dnsNames.length === 0 && (server.ipAddresses ?? []).length === 0) {
            throw new Error(`CertificateAuthority: server "${server.name}" has no DNS name or IP address: clients could not verify it`);
        }
    }
}
