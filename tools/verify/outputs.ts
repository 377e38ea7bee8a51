import type { RedisConnection, RoleCredentials } from "../../components/connection";
import { parseConnection, parseCredentials } from "../../client/parse";
import type { ClientCertificate } from "../../client/tlsOptions";

/** What `verify` reads from `pulumi stack output --json --show-secrets`. */
export interface VerifyOutputs {
    connection: RedisConnection;
    credentials: RoleCredentials;
    /** `elasticache`, `upstash` or `selfhosted`, when exported. */
    backend?: string;
    /** `dev`, `staging` or `prod`, when exported. */
    environment?: string;
    /** The applications' client certificate, exported when the deployment requires mTLS. */
    clientCertificate?: ClientCertificate;
    /** Every secret value in the outputs, so that nothing printed can contain one. */
    secrets: string[];
}

/**
 * Parses the JSON text of the stack outputs.
 *
 * @throws Error naming the key that is missing or malformed; the message never quotes a value
 */
export function parseStackOutputs(text: string): VerifyOutputs {
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch {
        throw new Error("the outputs are not JSON: pass the output of `pulumi stack output --json --show-secrets`");
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        throw new Error("the outputs must be a JSON object with keys connection and credentials");
    }
    const record = value as Record<string, unknown>;
    if (record.connection === undefined) {
        throw new Error("the outputs have no `connection` key: is this a stack of this program?");
    }
    const connection = parseConnection(record.connection);
    const credentials = parseCredentials(record.credentials);
    const secrets = Object.values(credentials).map((credential) => credential.password);
    if (typeof record.url === "string") {
        secrets.push(record.url);
    }
    const certificate = record.clientCertificate as Partial<ClientCertificate> | undefined;
    const clientCertificate =
        certificate !== undefined && typeof certificate.certPem === "string" && typeof certificate.keyPem === "string"
            ? { certPem: certificate.certPem, keyPem: certificate.keyPem }
            : undefined;
    if (clientCertificate) {
        secrets.push(clientCertificate.keyPem);
    }
    return {
        connection,
        credentials,
        ...(typeof record.backend === "string" ? { backend: record.backend } : {}),
        ...(typeof record.environment === "string" ? { environment: record.environment } : {}),
        ...(clientCertificate ? { clientCertificate } : {}),
        secrets,
    };
}
