import * as pulumi from "@pulumi/pulumi";
import type { ResolvedStackConfig } from "../stacks/config/resolve";
import type { SecretConfigKey } from "../stacks/config/secretKeys";
import type { RedisConnection, RoleCredentials } from "./connection";

/** The secret config values a stack has set, each a Pulumi secret. */
export type StackSecrets = Partial<Record<SecretConfigKey, pulumi.Output<string>>>;

/** What every backend hands back to the {@link Redis} facade. */
export interface BackendOutputs {
    /** How clients connect. Holds no secret. */
    connection: pulumi.Output<RedisConnection>;
    /** Credentials per role, as a Pulumi secret. Must contain an entry for the stack's first app user. */
    credentials: pulumi.Output<RoleCredentials>;
    /** The certificate applications present when the backend requires client certificates (mTLS). */
    clientCertificate?: pulumi.Output<ClientCertificatePem>;
}

/** A client certificate and its private key, PEM-encoded. The key makes the whole object a secret. */
export interface ClientCertificatePem {
    certPem: string;
    keyPem: string;
}

/**
 * Creates one backend's resources as children of `parent`. Called after the facade registered itself;
 * everything that can fail on config must have failed before, in validation.
 */
export type BackendBuilder = (name: string, config: ResolvedStackConfig, secrets: StackSecrets, parent: pulumi.ComponentResource) => BackendOutputs;

/** Thrown when a stack chooses a backend or platform whose implementation has not landed yet. */
export class BackendNotAvailableError extends Error {
    constructor(what: string) {
        super(`${what} is not available yet in this version of the program; no resource was created. Choose another backend in Pulumi.<stack>.yaml.`);
        this.name = "BackendNotAvailableError";
    }
}
