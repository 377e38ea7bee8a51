import * as pulumi from "@pulumi/pulumi";
import type { ResolvedStackConfig } from "../stacks/config/resolve";
import { ClientCertificatePem, StackSecrets } from "./backend";
import { backendBuilderFor } from "./backends";
import { connectionUrl, RedisConnection, RoleCredentials } from "./connection";

/** Arguments of the {@link Redis} facade. */
export interface RedisArgs {
    /** The validated, resolved stack config: it decides the backend and everything it creates. */
    config: ResolvedStackConfig;
    /** The stack's secret config values, each a Pulumi secret. @default {} */
    secrets?: StackSecrets;
}

/**
 * One Redis deployment, whichever backend the stack chose. Every backend exposes the same outputs, so
 * applications and tools consume them without knowing where Redis runs.
 */
export class Redis extends pulumi.ComponentResource {
    /** The backend that was built. */
    public readonly backend: ResolvedStackConfig["backend"];
    /** How clients connect: mode, endpoints, reader endpoints, sentinel master name, TLS settings. */
    public readonly connection: pulumi.Output<RedisConnection>;
    /** Username and password per role (`app`, `readonly`, `admin`, `monitor`, ...), as a secret. */
    public readonly credentials: pulumi.Output<RoleCredentials>;
    /** A ready `rediss://` URL for the stack's first application user, as a secret. */
    public readonly url: pulumi.Output<string>;
    /** The client certificate and key applications present when the deployment requires mTLS, as a secret. */
    public readonly clientCertificate: pulumi.Output<ClientCertificatePem> | undefined;

    /**
     * @param name the logical name; children are named after it
     * @param args the resolved stack config and secrets
     * @param opts resource options
     * @throws BackendNotAvailableError before registering anything when the backend has not landed
     */
    constructor(name: string, args: RedisArgs, opts?: pulumi.ComponentResourceOptions) {
        // Resolved before super(): an unavailable backend must leave no component behind.
        const build = backendBuilderFor(args.config);
        super("redisplatform:index:Redis", name, {}, opts);

        const outputs = build(name, args.config, args.secrets ?? {}, this);
        const appUser = args.config.acl.users[0].name;
        this.backend = args.config.backend;
        this.connection = outputs.connection;
        this.credentials = pulumi.secret(outputs.credentials);
        this.url = pulumi.secret(
            pulumi.all([outputs.connection, outputs.credentials]).apply(([connection, credentials]) => {
                const credential = credentials[appUser];
                if (credential === undefined) {
                    throw new Error(`backend "${args.config.backend}" returned no credentials for app user "${appUser}"`);
                }
                return connectionUrl(connection, credential);
            }),
        );
        this.clientCertificate = outputs.clientCertificate ? pulumi.secret(outputs.clientCertificate) : undefined;
        this.registerOutputs({ connection: this.connection, credentials: this.credentials, url: this.url, clientCertificate: this.clientCertificate });
    }
}
