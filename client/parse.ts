import type { Credential, Endpoint, RedisConnection, RoleCredentials } from "../components/connection";

/**
 * Checks values read from `pulumi stack output --json` (or any JSON) against the connection and credential
 * shapes. Errors name the path and what was expected; they never include a credential's value.
 */

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function endpointAt(value: unknown, where: string): Endpoint {
    if (!isRecord(value) || typeof value.host !== "string" || value.host === "") {
        throw new Error(`${where}.host must be a non-empty string`);
    }
    const port = value.port;
    if (typeof port !== "number" || !Number.isInteger(port) || port < 1 || port > 65535) {
        throw new Error(`${where}.port = ${JSON.stringify(port)}: must be a whole number from 1 to 65535`);
    }
    return { host: value.host, port };
}

function endpointsAt(value: unknown, where: string): Endpoint[] {
    if (!Array.isArray(value) || value.length === 0) {
        throw new Error(`${where} must be a non-empty array of { host, port }`);
    }
    return value.map((item, index) => endpointAt(item, `${where}[${index}]`));
}

/**
 * Reads a {@link RedisConnection}.
 *
 * @throws Error naming the first field that does not fit
 */
export function parseConnection(value: unknown, where = "connection"): RedisConnection {
    if (!isRecord(value)) {
        throw new Error(`${where} must be an object`);
    }
    const mode = value.mode;
    if (mode !== "standalone" && mode !== "sentinel" && mode !== "cluster") {
        throw new Error(`${where}.mode = ${JSON.stringify(mode)}: must be "standalone", "sentinel" or "cluster"`);
    }
    const connection: RedisConnection = { mode, endpoints: endpointsAt(value.endpoints, `${where}.endpoints`), tls: { enabled: false } };
    if (value.readerEndpoints !== undefined) {
        connection.readerEndpoints = endpointsAt(value.readerEndpoints, `${where}.readerEndpoints`);
    }
    if (value.sentinelMasterName !== undefined) {
        if (typeof value.sentinelMasterName !== "string" || value.sentinelMasterName === "") {
            throw new Error(`${where}.sentinelMasterName must be a non-empty string`);
        }
        connection.sentinelMasterName = value.sentinelMasterName;
    }
    if (mode === "sentinel" && connection.sentinelMasterName === undefined) {
        throw new Error(`${where}.sentinelMasterName is required in sentinel mode`);
    }
    const tls = value.tls;
    if (!isRecord(tls) || typeof tls.enabled !== "boolean") {
        throw new Error(`${where}.tls must be an object with a boolean "enabled"`);
    }
    connection.tls = { enabled: tls.enabled };
    for (const key of ["caCertPem", "serverName"] as const) {
        if (tls[key] !== undefined) {
            if (typeof tls[key] !== "string") {
                throw new Error(`${where}.tls.${key} must be a string`);
            }
            connection.tls[key] = tls[key];
        }
    }
    if (tls.clientCertRequired !== undefined) {
        if (typeof tls.clientCertRequired !== "boolean") {
            throw new Error(`${where}.tls.clientCertRequired must be a boolean`);
        }
        connection.tls.clientCertRequired = tls.clientCertRequired;
    }
    return connection;
}

/**
 * Reads {@link RoleCredentials}: an object of `{ username, password }` per user.
 *
 * @throws Error naming the user whose entry does not fit, never its value
 */
export function parseCredentials(value: unknown, where = "credentials"): RoleCredentials {
    if (!isRecord(value) || Object.keys(value).length === 0) {
        throw new Error(`${where} must be a non-empty object of { username, password } per user (run pulumi stack output with --show-secrets)`);
    }
    const credentials: RoleCredentials = {};
    for (const [name, entry] of Object.entries(value)) {
        if (!isRecord(entry) || typeof entry.username !== "string" || entry.username === "" || typeof entry.password !== "string" || entry.password === "") {
            throw new Error(`${where}.${name} must be { username: string, password: string } with both non-empty (is it still "[secret]"? add --show-secrets)`);
        }
        credentials[name] = { username: entry.username, password: entry.password };
    }
    return credentials;
}

/**
 * One user's credential.
 *
 * @throws Error naming the user and the users there are (names only)
 */
export function credentialFor(credentials: RoleCredentials, user: string): Credential {
    const credential = credentials[user];
    if (credential === undefined) {
        throw new Error(`no credential for user "${user}"; the outputs have ${Object.keys(credentials).map((name) => `"${name}"`).join(", ") || "none"}`);
    }
    return credential;
}
