/**
 * Pure helpers for the certificates {@link CertificateAuthority} issues: which names go into a
 * certificate, which uses it allows, which CAs exist during a CA rollover, and checks on its arguments.
 */

import { CA_ROLLOVER_PHASES, type CaRolloverPhase } from "../redisconf/caBundle";

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

/**
 * The CA rollover state of a {@link CertificateAuthority}. `generation` counts CAs from 1; raising it by one
 * starts a rollover to a new CA, which then goes through the phases of {@link CA_ROLLOVER_PHASES}, one
 * `pulumi up` each.
 */
export interface CaRotation {
    /** Counts CAs, from 1. */
    generation: number;
    /** The rollover phase; required above generation 1, refused at generation 1. */
    phase?: CaRolloverPhase | undefined;
}

/** Which CAs exist during one rollover state, which of them signs, and how the trust bundle is made. */
export interface CaRolloverPlan {
    /** The newest CA generation. Its CA exists in every phase. */
    current: number;
    /**
     * The previous generation while both CAs are trusted (`trust-both`, `serve-new`), with the phase that
     * orders the bundle; absent when only the current CA exists.
     */
    previous?: { generation: number; phase: CaRolloverPhase };
    /** The generation whose CA signs every server and client certificate. */
    issuer: number;
}

/** The highest CA generation accepted; the same bound as the config schema's. */
export const MAX_CA_GENERATION = 1000;

/**
 * Checks a CA rollover state, so a mistake fails before any key is generated.
 *
 * @throws Error naming the argument, the value and what is allowed
 */
export function validateCaRotation(rotation: CaRotation): void {
    if (!Number.isInteger(rotation.generation) || rotation.generation < 1 || rotation.generation > MAX_CA_GENERATION) {
        throw new Error(`CertificateAuthority: caRotation.generation = ${rotation.generation}: must be a whole number from 1 to ${MAX_CA_GENERATION}`);
    }
    if (rotation.phase !== undefined && !(CA_ROLLOVER_PHASES as readonly string[]).includes(rotation.phase)) {
        throw new Error(`CertificateAuthority: caRotation.phase = "${rotation.phase}": must be one of ${CA_ROLLOVER_PHASES.join(", ")}`);
    }
    if (rotation.generation === 1 && rotation.phase !== undefined) {
        throw new Error(`CertificateAuthority: caRotation.phase = "${rotation.phase}" with generation 1: a phase only applies from generation 2, when there is a previous CA to roll over from`);
    }
    if (rotation.generation > 1 && rotation.phase === undefined) {
        throw new Error(`CertificateAuthority: caRotation.phase is not set with generation ${rotation.generation}: must be one of ${CA_ROLLOVER_PHASES.join(", ")}, in that order`);
    }
}

/**
 * The CAs, signer and bundle order of one rollover state, as `caRolloverFiles` (`../redisconf/caBundle`) defines the phases:
 * `trust-both` adds the new CA and keeps signing with the previous one, `serve-new` signs with the new one
 * while both stay trusted, `retire-old` drops the previous CA. No rotation is generation 1 alone.
 *
 * @throws Error when the state is invalid (see {@link validateCaRotation})
 */
export function caRolloverPlan(rotation: CaRotation = { generation: 1 }): CaRolloverPlan {
    validateCaRotation(rotation);
    const current = rotation.generation;
    switch (rotation.phase) {
        case undefined:
        case "retire-old":
            return { current, issuer: current };
        case "trust-both":
            return { current, previous: { generation: current - 1, phase: rotation.phase }, issuer: current - 1 };
        case "serve-new":
            return { current, previous: { generation: current - 1, phase: rotation.phase }, issuer: current };
    }
}

/**
 * The names of one CA generation's key and certificate resources. Generation 1 keeps the names stacks had
 * before rollovers existed, so they change nothing; each later generation has its own, so adding one never
 * replaces a CA that clients still trust.
 */
export function caResourceNames(component: string, generation: number): { key: string; cert: string } {
    const prefix = generation === 1 ? `${component}-ca` : `${component}-ca-g${generation}`;
    return { key: `${prefix}-key`, cert: `${prefix}-cert` };
}

/**
 * The subject common name of one CA generation. Later generations carry their number, so `openssl x509
 * -issuer` tells which CA signed a served certificate during a rollover.
 */
export function caCommonName(base: string, generation: number): string {
    return generation === 1 ? base : `${base} G${generation}`;
}
