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
    /**
     * Set when the endpoint is an Envoy `redis_proxy` in front of a cluster (docs/proxy.md): clients talk to it
     * as to one node, and only the commands Envoy supports work (see `client/proxyCommands.ts`).
     */
    proxy?: "envoy";
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

/** A URL's scheme per connection mode and TLS: `+sentinel` marks a sentinel set, never a data node. */
function urlScheme(mode: RedisConnection["mode"], tls: boolean): string {
    return `${tls ? "rediss" : "redis"}${mode === "sentinel" ? "+sentinel" : ""}`;
}

function hostPort(endpoint: Endpoint): string {
    return `${endpoint.host.includes(":") ? `[${endpoint.host}]` : endpoint.host}:${endpoint.port}`;
}

/**
 * Builds the connection URL of one credential, which never depends on which node is primary right now:
 *
 * - standalone: `redis[s]://user:pass@host:port` (the primary endpoint);
 * - cluster: `redis[s]://user:pass@host:port` (the first seed or configuration endpoint: any node answers with the topology);
 * - sentinel: `redis[s]+sentinel://user:pass@s1:port,s2:port,s3:port/<masterName>`, every sentinel and the
 *   master name, so a client asks the sentinels for the primary instead of talking to a sentinel as if it
 *   were Redis. {@link parseConnectionUrl} and the client's `createRedisClient` read it.
 *
 * Username and password are percent-encoded, so a password with `@` or `/` still parses.
 *
 * @param connection how clients connect
 * @param credential the user the URL logs in as
 * @param endpoint the node to name in standalone and cluster mode @default the first endpoint
 * @throws Error when the connection has no endpoint, or a sentinel connection has no master name
 */
export function connectionUrl(connection: RedisConnection, credential: Credential, endpoint: Endpoint = connection.endpoints[0]): string {
    if (endpoint === undefined) {
        throw new Error("connectionUrl: the connection has no endpoint");
    }
    const userInfo = `${encodeURIComponent(credential.username)}:${encodeURIComponent(credential.password)}`;
    const scheme = urlScheme(connection.mode, connection.tls.enabled);
    if (connection.mode === "sentinel") {
        if (connection.sentinelMasterName === undefined) {
            throw new Error("connectionUrl: the sentinel connection has no sentinelMasterName");
        }
        return `${scheme}://${userInfo}@${connection.endpoints.map(hostPort).join(",")}/${encodeURIComponent(connection.sentinelMasterName)}`;
    }
    return `${scheme}://${userInfo}@${hostPort(endpoint)}`;
}

/** What a connection URL holds: the connection (without a private CA, which a URL cannot carry) and the credential. */
export interface ParsedConnectionUrl {
    connection: RedisConnection;
    credential: Credential;
}

function parseHostPort(text: string, url: string): Endpoint {
    const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\[\]]+)):([0-9]{1,5})$/.exec(text);
    const port = match ? Number(match[3]) : NaN;
    if (match === null || port < 1 || port > 65535) {
        throw new Error(`connection URL ${redactUrl(url)}: "${text}" must be host:port with a port from 1 to 65535`);
    }
    return { host: match[1] ?? match[2], port };
}

/** The URL with its password replaced, for error messages. */
function redactUrl(url: string): string {
    return url.replace(/^([^:]+:\/\/[^:@\/]*:)[^@]*@/, "$1***@");
}

/**
 * Reads a URL {@link connectionUrl} builds (`redis://`, `rediss://`, `redis+sentinel://`,
 * `rediss+sentinel://`). A plain `redis[s]://` URL is read as standalone: a cluster client needs `mode`
 * from the stack's `connection` output.
 *
 * @throws Error naming what does not fit, never the password
 */
export function parseConnectionUrl(url: string): ParsedConnectionUrl {
    const match = /^(rediss?)(\+sentinel)?:\/\/([^:@\/]+):([^@]*)@([^\/?#]+)(?:\/([^?#]*))?$/.exec(url);
    if (match === null) {
        throw new Error(
            `connection URL ${redactUrl(url)}: must be redis[s]://user:password@host:port or redis[s]+sentinel://user:password@host:port[,host:port...]/masterName`,
        );
    }
    const [, scheme, sentinel, username, password, hosts, path] = match;
    const endpoints = hosts.split(",").map((text) => parseHostPort(text, url));
    const credential = { username: decodeURIComponent(username), password: decodeURIComponent(password) };
    const tls = { enabled: scheme === "rediss" };
    if (sentinel !== undefined) {
        if (path === undefined || path === "") {
            throw new Error(`connection URL ${redactUrl(url)}: a +sentinel URL must end with /<masterName>`);
        }
        return { connection: { mode: "sentinel", endpoints, sentinelMasterName: decodeURIComponent(path), tls }, credential };
    }
    if (endpoints.length !== 1 || (path !== undefined && path !== "")) {
        throw new Error(`connection URL ${redactUrl(url)}: a ${scheme}:// URL names exactly one host:port and no path`);
    }
    return { connection: { mode: "standalone", endpoints, tls }, credential };
}
