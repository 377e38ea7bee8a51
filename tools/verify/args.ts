import type { AclRole } from "../../components/redisconf/acl";
import { CliError, CliSpec, FlagValues, flagsOf, JSON_FLAG } from "../cli";
import { parseRoleOverrides } from "./roles";

/** The command line of `npm run verify`. */
export interface VerifyArgs {
    /** A file path, or `-` for standard input. */
    outputs: string;
    json: boolean;
    latencySamples: number;
    maxP99Ms: number;
    minCertDays: number;
    roles: Record<string, AclRole>;
    clientCertFile?: string;
    clientKeyFile?: string;
}

/** `npm run verify`: what it does, its flags, ports, duration and exit codes. */
export const VERIFY_SPEC: CliSpec = {
    name: "verify",
    summary: "check a deployed Redis from its stack outputs: TLS, every user's ACL, replication, failover readiness, persistence, memory, certificates and latency, as a pass/fail table",
    usage: ["--outputs <file|-> [--roles u=role,...] [--samples N] [--max-p99-ms MS] [--min-cert-days D] [--client-cert F --client-key F] [--json]"],
    details: "Read the outputs with `pulumi stack output --json --show-secrets`. No secret is ever printed: every row is masked against every password in the outputs.",
    flags: {
        outputs: { type: "string", value: "<file|->", description: "pulumi stack output --json --show-secrets (a file, or - for stdin); required" },
        roles: { type: "string", value: "<u=role,...>", description: "roles of application users the ACL cannot tell (app, readonly, admin, ...)" },
        samples: { type: "string", value: "<n>", description: "PINGs for the latency figures (default 200)" },
        "max-p99-ms": { type: "string", value: "<ms>", description: "fail when the p99 PING round trip is above this (default 50)" },
        "min-cert-days": { type: "string", value: "<d>", description: "warn when a certificate expires sooner (default 14)" },
        "client-cert": { type: "string", value: "<file>", description: "PEM client certificate, when the deployment requires mTLS (default: the stack's clientCertificate output)" },
        "client-key": { type: "string", value: "<file>", description: "its PEM key" },
        json: { ...JSON_FLAG, description: "print {status: passed|failed, verify, counts, results} on stdout instead of the table" },
    },
    ports: "none opened; connects to the endpoints in the outputs",
    duration: "2-10 s (200 PINGs per endpoint by default)",
    exitCodes: { 1: "a check failed", 2: "bad usage, or outputs that cannot be read" },
};

function positiveNumber(flag: string, value: string): number {
    const number = Number(value);
    if (!Number.isFinite(number) || number <= 0) {
        throw new CliError(`--${flag} = ${value}: must be a number > 0`);
    }
    return number;
}

/**
 * Parses the arguments after `--`. Pure.
 *
 * @throws CliError naming the flag that is unknown, missing or malformed
 */
export function parseVerifyArgs(argv: readonly string[]): VerifyArgs {
    return verifyArgsFrom(flagsOf(VERIFY_SPEC, argv));
}

/**
 * Checks parsed flags and applies the defaults. Pure.
 *
 * @throws CliError naming the flag that is missing or malformed
 */
export function verifyArgsFrom(flags: FlagValues): VerifyArgs {
    const values = flags as Record<string, string | boolean | undefined>;
    const text = (flag: string) => values[flag] as string | undefined;
    const outputs = text("outputs");
    if (outputs === undefined) {
        throw new CliError("--outputs is required: see --help");
    }
    const clientCertFile = text("client-cert");
    const clientKeyFile = text("client-key");
    if ((clientCertFile === undefined) !== (clientKeyFile === undefined)) {
        throw new CliError("--client-cert and --client-key go together");
    }
    const number = (flag: string, fallback: number) => (text(flag) === undefined ? fallback : positiveNumber(flag, text(flag) as string));
    return {
        outputs,
        json: values.json === true,
        latencySamples: Math.round(number("samples", 200)),
        maxP99Ms: number("max-p99-ms", 50),
        minCertDays: number("min-cert-days", 14),
        roles: parseRoleOverrides(text("roles")),
        ...(clientCertFile !== undefined ? { clientCertFile, clientKeyFile } : {}),
    };
}
