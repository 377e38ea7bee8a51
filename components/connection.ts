/**
 * The one connection shape every backend exports, so applications, `verify` and the client never care
 * which backend a stack chose.
 */

/** A host and port a client connects to. */
export interface Endpoint {
    host: string;
    port: number;
}

/** How clients reach Redis. Holds no secret: credentials travel separately, as Pulumi secrets. */
export interface RedisConnection {
    /** How clients must talk to the deployment. */
    mode: "standalone" | "sentinel" | "cluster";
    /** The primary (standalone), the sentinels (sentinel) or the cluster seed nodes (cluster). */
    endpoints: Endpoint[];
    /** Read-only endpoints where the backend offers them. */
    readerEndpoints?: Endpoint[];
    /** The endpoint that answers with the cluster's topology (ElastiCache cluster mode), also in `endpoints`. */
    configurationEndpoint?: Endpoint;
    /** The name the sentinels monitor the primary under (sentinel mode only). */
    sentinelMasterName?: string;
    /** Transport security. */
    tls: {
        enabled: boolean;
        /** The CA that signed the server certificates, when it is not a public one. */
        caCertPem?: string;
        /** The name to verify the server certificate against. */
        serverName?: string;
        /** Whether clients must present a certificate (mTLS). */
        clientCertRequired?: boolean;
    };
}

/** A username and password pair. */
export interface Credential {
    username: string;
    password: string;
}

/** Credentials per role name (`app`, `readonly`, `admin`, `monitor`, ...). Always a Pulumi secret. */
export type RoleCredentials = Record<string, Credential>;

/**
 * Builds a `redis://` or `rediss://` URL for one credential and endpoint. Username and password are
 * percent-encoded, so a password with `@` or `/` still parses.
 */
export function connectionUrl(connection: RedisConnection, credential: Credential, endpoint: Endpoint = connection.endpoints[0]): string {
    if (endpoint === undefined) {
        throw new Error("connectionUrl: the connection has no endpoint");
    }
    const scheme = connection.tls.enabled ? "rediss" : "redis";
    const host = endpoint.host.includes(":") ? `[${endpoint.host}]` : endpoint.host;
    return `${scheme}://${encodeURIComponent(credential.username)}:${encodeURIComponent(credential.password)}@${host}:${endpoint.port}`;
}
