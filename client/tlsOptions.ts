import { checkServerIdentity, ConnectionOptions, PeerCertificate } from "node:tls";
import { isIP } from "node:net";
import type { RedisConnection } from "../components/connection";

/** A client certificate, for deployments that require mTLS (`tls.clientCertRequired`). */
export interface ClientCertificate {
    /** The PEM certificate (chain) the client presents. */
    certPem: string;
    /** The PEM private key of that certificate. Secret. */
    keyPem: string;
}

/**
 * The Node `tls.connect` options for a connection, or `undefined` when TLS is off.
 *
 * Certificates are always verified: against `caCertPem` when the deployment has its own CA, otherwise against
 * Node's public roots. When `serverName` is set, every node's certificate is checked against that name instead
 * of the address connected to (it is also sent as SNI when it is a host name), so clients can reach nodes by IP
 * or through a NAT and still verify them.
 *
 * @throws Error when the deployment requires a client certificate and none is given
 */
export function tlsConnectionOptions(tls: RedisConnection["tls"], clientCertificate?: ClientCertificate): ConnectionOptions | undefined {
    if (!tls.enabled) {
        return undefined;
    }
    if (tls.clientCertRequired === true && clientCertificate === undefined) {
        throw new Error("the deployment requires a client certificate (connection.tls.clientCertRequired): pass options.clientCertificate { certPem, keyPem }");
    }
    const options: ConnectionOptions = { rejectUnauthorized: true };
    if (tls.caCertPem !== undefined && tls.caCertPem !== "") {
        options.ca = tls.caCertPem;
    }
    const serverName = tls.serverName;
    if (serverName !== undefined && serverName !== "") {
        if (isIP(serverName) === 0) {
            options.servername = serverName;
        }
        options.checkServerIdentity = (_host: string, cert: PeerCertificate) => checkServerIdentity(serverName, cert);
    }
    if (clientCertificate !== undefined) {
        options.cert = clientCertificate.certPem;
        options.key = clientCertificate.keyPem;
    }
    return options;
}
