import type { AclRole } from "../../components/redisconf/acl";
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

/** The usage text. */
export const VERIFY_USAGE = `usage: npm run verify -- --outputs <file|-> [options]

  --outputs <file|->     pulumi stack output --json --show-secrets (a file, or - for stdin)
  --roles u=role,...     roles of application users the ACL cannot tell (app, readonly, admin, ...)
  --samples <n>          PINGs for the latency figures (default 200)
  --max-p99-ms <ms>      fail when the p99 PING round trip is above this (default 50)
  --min-cert-days <d>    warn when a certificate expires sooner (default 14)
  --client-cert <file>   PEM client certificate, when the deployment requires mTLS
  --client-key <file>    its PEM key
  --json                 print the results as one JSON object instead of a table`;

function positiveNumber(flag: string, value: string | undefined): number {
    const number = Number(value);
    if (value === undefined || !Number.isFinite(number) || number <= 0) {
        throw new Error(`${flag} = ${value ?? "(missing)"}: must be a number > 0`);
    }
    return number;
}

/**
 * Parses the arguments after `--`.
 *
 * @throws Error naming the flag that is unknown, missing or malformed
 */
export function parseVerifyArgs(argv: readonly string[]): VerifyArgs {
    const args: Partial<VerifyArgs> & { json: boolean } = { json: false };
    let roles: string | undefined;
    for (let i = 0; i < argv.length; i++) {
        const flag = argv[i];
        const value = () => {
            const next = argv[++i];
            if (next === undefined) {
                throw new Error(`${flag} needs a value`);
            }
            return next;
        };
        switch (flag) {
            case "--outputs":
                args.outputs = value();
                break;
            case "--json":
                args.json = true;
                break;
            case "--samples":
                args.latencySamples = Math.round(positiveNumber(flag, value()));
                break;
            case "--max-p99-ms":
                args.maxP99Ms = positiveNumber(flag, value());
                break;
            case "--min-cert-days":
                args.minCertDays = positiveNumber(flag, value());
                break;
            case "--roles":
                roles = value();
                break;
            case "--client-cert":
                args.clientCertFile = value();
                break;
            case "--client-key":
                args.clientKeyFile = value();
                break;
            default:
                throw new Error(`unknown argument "${flag}"\n${VERIFY_USAGE}`);
        }
    }
    if (args.outputs === undefined) {
        throw new Error(`--outputs is required\n${VERIFY_USAGE}`);
    }
    if ((args.clientCertFile === undefined) !== (args.clientKeyFile === undefined)) {
        throw new Error("--client-cert and --client-key go together");
    }
    return {
        outputs: args.outputs,
        json: args.json,
        latencySamples: args.latencySamples ?? 200,
        maxP99Ms: args.maxP99Ms ?? 50,
        minCertDays: args.minCertDays ?? 14,
        roles: parseRoleOverrides(roles),
        ...(args.clientCertFile !== undefined ? { clientCertFile: args.clientCertFile, clientKeyFile: args.clientKeyFile } : {}),
    };
}
