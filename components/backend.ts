import type * as pulumi from "@pulumi/pulumi";
import type { RedisConnection, RoleCredentials } from "./connection";
import type { RedisSecrets } from "./secrets";

/** The secret values a deployment takes. Kept under this name for the platform components. */
export type StackSecrets = RedisSecrets;

/** What every backend hands back to the {@link Redis} facade. */
export interface BackendOutputs {
    /** How clients connect. Holds no secret. */
    connection: pulumi.Output<RedisConnection>;
    /** Credentials per role, as a Pulumi secret. Must contain an entry for the first application user. */
    credentials: pulumi.Output<RoleCredentials>;
    /** The certificate applications present when the backend requires client certificates (mTLS). */
    clientCertificate?: pulumi.Output<ClientCertificatePem>;
}

/** A client certificate and its private key, PEM-encoded. The key makes the whole object a secret. */
export interface ClientCertificatePem {
    certPem: string;
    keyPem: string;
}

/** Thrown when a program chooses a backend or platform whose implementation has not landed yet. */
export class BackendNotAvailableError extends Error {
    constructor(what: string) {
        super(`${what} is not available yet in this version of the program; no resource was created. Choose another backend in Pulumi.<stack>.yaml.`);
        this.name = "BackendNotAvailableError";
    }
}
