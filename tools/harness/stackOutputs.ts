import { readFileSync } from "node:fs";
import { connectionUrl, RedisConnection, RoleCredentials } from "../../components/connection";
import type { LocalDeployment } from "./localDeployment";

/** A local run's outputs in the shape `pulumi stack output --json --show-secrets` prints for a stack. */
export interface LocalStackOutputs {
    backend: "selfhosted";
    environment: string;
    connection: RedisConnection;
    credentials: RoleCredentials;
    url: string;
}

/**
 * The stack outputs a self-hosted stack would export for this run: the primary (standalone), the sentinels
 * (sentinel) or every data node as seeds (cluster), the run's CA, and every user's credential. Holds
 * passwords: never print it.
 *
 * @param environment the `environment` output @default "dev"
 */
export function localStackOutputs(deployment: LocalDeployment, environment = "dev"): LocalStackOutputs {
    const { topology, nodes, users } = deployment.rendered;
    const tlsEnabled = nodes[0].env.REDIS_TLS === "yes";
    const mtls = nodes[0].config.includes("tls-auth-clients yes");
    const address = (node: { announceHost: string; port: number }) => ({ host: node.announceHost, port: node.port });
    const endpoints =
        topology.kind === "sentinel" ? topology.sentinels.map(address) : topology.kind === "cluster" ? topology.dataNodes.map(address) : [address(topology.dataNodes[0])];
    const connection: RedisConnection = {
        mode: topology.kind,
        endpoints,
        ...(topology.masterName !== undefined ? { sentinelMasterName: topology.masterName } : {}),
        tls: tlsEnabled ? { enabled: true, caCertPem: readFileSync(deployment.certs.caFile, "utf8"), clientCertRequired: mtls } : { enabled: false },
    };
    const credentials: RoleCredentials = Object.fromEntries(users.map((user) => [user.name, { username: user.name, password: deployment.password(user.name) }]));
    const app = credentials.app ?? Object.values(credentials)[0];
    return { backend: "selfhosted", environment, connection, credentials, url: connectionUrl(connection, app) };
}
