import type { EnvoyFiles } from "./envoyConfig";

/**
 * The files the Envoy proxy reads besides `envoy.yaml`, the same on both platforms: its certificate and key,
 * the CA, the client certificate it presents to the nodes under mTLS, and the user's passwords. Pure.
 */

/** The file name of each secret file, in the secret directory (the keys of the Kubernetes Secret). */
export const PROXY_SECRET_FILES = {
    certChain: "tls.crt",
    privateKey: "tls.key",
    ca: "ca.crt",
    clientCert: "client.crt",
    clientKey: "client.key",
    password: "password",
    previousPassword: "previous-password",
} as const satisfies Record<keyof EnvoyFiles, string>;

/** What the proxy's secret files are made of. Every field but the CA and certificates is a secret. */
export interface ProxyMaterial {
    caCertPem: string;
    /** The proxy's own server certificate and key. */
    server: { certPem: string; privateKeyPem: string };
    /** The client certificate and key it presents to the nodes (used under mTLS only). */
    client: { certPem: string; privateKeyPem: string };
    /** The user clients log in as and Envoy runs commands as. */
    username: string;
    /** Its passwords, current first; a second one during a rotation window. */
    passwords: readonly string[];
}

/**
 * The secret files by name. Passwords are written without a trailing newline: Envoy compares the whole file.
 *
 * @throws Error when the user has no password or more than two
 */
export function proxySecretFiles(material: ProxyMaterial, mtls: boolean): Record<string, string> {
    const [current, previous, ...rest] = material.passwords;
    if (current === undefined || rest.length > 0) {
        throw new Error(`proxy user "${material.username}" must have one or two passwords, got ${material.passwords.length}`);
    }
    return {
        [PROXY_SECRET_FILES.certChain]: material.server.certPem,
        [PROXY_SECRET_FILES.privateKey]: material.server.privateKeyPem,
        [PROXY_SECRET_FILES.ca]: material.caCertPem,
        ...(mtls ? { [PROXY_SECRET_FILES.clientCert]: material.client.certPem, [PROXY_SECRET_FILES.clientKey]: material.client.privateKeyPem } : {}),
        [PROXY_SECRET_FILES.password]: current,
        ...(previous === undefined ? {} : { [PROXY_SECRET_FILES.previousPassword]: previous }),
    };
}

/** The paths `envoy.yaml` reads, for secret files mounted in `dir`. */
export function proxyFilePaths(dir: string, mtls: boolean, previousPassword: boolean): EnvoyFiles {
    const at = (name: string) => `${dir}/${name}`;
    return {
        certChain: at(PROXY_SECRET_FILES.certChain),
        privateKey: at(PROXY_SECRET_FILES.privateKey),
        ca: at(PROXY_SECRET_FILES.ca),
        ...(mtls ? { clientCert: at(PROXY_SECRET_FILES.clientCert), clientKey: at(PROXY_SECRET_FILES.clientKey) } : {}),
        password: at(PROXY_SECRET_FILES.password),
        ...(previousPassword ? { previousPassword: at(PROXY_SECRET_FILES.previousPassword) } : {}),
    };
}

/** Where both platforms mount the proxy's files inside its container. */
export const PROXY_PATHS = { config: "/etc/envoy/config/envoy.yaml", configDir: "/etc/envoy/config", secretsDir: "/etc/envoy/secrets" } as const;

/** Envoy's command line: the bootstrap, no hot restart (no shared memory needed, so the root filesystem can be read-only). */
export const ENVOY_ARGS = ["-c", PROXY_PATHS.config, "--disable-hot-restart", "--log-level", "info"] as const;
