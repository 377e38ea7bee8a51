import type { Credential, Endpoint } from "../../components/connection";
import type { AclRole } from "../../components/redisconf/acl";
import type { ClientCertificate } from "../../client/tlsOptions";
import { tlsConnectionOptions } from "../../client/tlsOptions";
import { checkClientDiscovery, checkDenials, checkLogins, resolveRoles } from "./checks/access";
import { checkSettings, checkLatency } from "./checks/settings";
import { checkTlsEndpoint } from "./checks/tls";
import { discover } from "./checks/topology";
import { addressOf, NodeAccess } from "./nodes";
import type { VerifyOutputs } from "./outputs";
import { CheckResult, redactResults } from "./report";

/** Options of {@link runVerify}. */
export interface VerifyOptions {
    /** PINGs for the latency figures. @default 200 */
    latencySamples?: number;
    /** The p99 round trip above which the latency check fails, in ms. @default 50 */
    maxP99Ms?: number;
    /** Certificates expiring sooner than this many days warn. @default 14 */
    minCertDays?: number;
    /** Roles of application users, when the ACL cannot tell. */
    roles?: Readonly<Record<string, AclRole>>;
    /** The client certificate, when the deployment requires mTLS. */
    clientCertificate?: ClientCertificate;
    /** Connect timeout per node, in ms. @default 5000 */
    connectTimeoutMs?: number;
    /** Command timeout, in ms. @default 5000 */
    commandTimeoutMs?: number;
}

function firstOf(credentials: VerifyOutputs["credentials"], names: readonly string[]): { name: string; credential: Credential } | undefined {
    for (const name of names) {
        if (credentials[name] !== undefined) {
            return { name, credential: credentials[name] };
        }
    }
    const [name] = Object.keys(credentials);
    return name === undefined ? undefined : { name, credential: credentials[name] };
}

function unique(endpoints: readonly Endpoint[]): Endpoint[] {
    const seen = new Map<string, Endpoint>();
    for (const endpoint of endpoints) {
        seen.set(addressOf(endpoint), endpoint);
    }
    return [...seen.values()];
}

/**
 * Checks a deployed Redis from its stack outputs: TLS and certificate expiry on every endpoint and data node;
 * login and PING for every user; that application users may discover the nodes (sentinel, cluster); a sample of ACL denials per role and that the default user cannot log in;
 * the topology's health; persistence and maxmemory (as admin); and PING latency. Returns one row per check,
 * with every secret in the outputs masked.
 */
export async function runVerify(outputs: VerifyOutputs, options: VerifyOptions = {}): Promise<CheckResult[]> {
    const { connection, credentials } = outputs;
    const results: CheckResult[] = [];
    let tls;
    try {
        tls = tlsConnectionOptions(connection.tls, options.clientCertificate);
    } catch (error) {
        return [{ check: "tls", target: "client", status: "fail", detail: (error as Error).message }];
    }
    const access: NodeAccess = { tls, connectTimeoutMs: options.connectTimeoutMs ?? 5000, commandTimeoutMs: options.commandTimeoutMs ?? 5000 };
    const observer = firstOf(credentials, ["admin", "monitor", "app"]);
    const sentinelObserver = firstOf(credentials, ["monitor", "admin", "app"]);
    if (observer === undefined || sentinelObserver === undefined) {
        return [{ check: "credentials", target: "-", status: "fail", detail: "the outputs hold no credential" }];
    }

    const discovered = await discover(connection, observer.credential, sentinelObserver.credential, access);
    const nodes = unique([...connection.endpoints, ...discovered.dataNodes.map((node) => node.endpoint)]);
    if (tls === undefined) {
        results.push({ check: "tls", target: "all", status: outputs.environment === "prod" ? "fail" : "warn", detail: "TLS is off: credentials and data cross the network in clear" });
    } else {
        for (const node of nodes) {
            results.push(await checkTlsEndpoint(node, tls, options.minCertDays ?? 14, access.connectTimeoutMs));
        }
    }
    results.push(...discovered.results);
    const primary = discovered.primary;
    if (primary === undefined) {
        results.push({ check: "primary", target: "-", status: "fail", detail: "no primary found: skipped login, ACL, settings and latency checks" });
        return redactResults(results, outputs.secrets);
    }
    results.push(...(await checkLogins(primary, credentials, access)));
    const roles = await resolveRoles(primary, credentials, options.roles ?? {}, access);
    results.push(...(await checkClientDiscovery(connection, primary, credentials, roles, access)));
    results.push(...(await checkDenials(primary, credentials, roles, access)));
    results.push(...(await checkSettings(discovered.dataNodes.map((node) => node.endpoint), credentials.admin, outputs.environment, access)));
    const pinger = firstOf(credentials, ["app", "monitor", "admin"]) ?? observer;
    results.push(await checkLatency(primary, pinger.credential, pinger.name, options.latencySamples ?? 200, options.maxP99Ms ?? 50, access));
    return redactResults(results, outputs.secrets);
}
