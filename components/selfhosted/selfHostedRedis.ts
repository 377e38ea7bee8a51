import * as pulumi from "@pulumi/pulumi";
import { BackendNotAvailableError, ClientCertificatePem } from "../backend";
import type { RedisConnection, RoleCredentials } from "../connection";
import { throwOnProblems } from "../problems";
import type { AclUsers } from "../security/aclUsers";
import type { CertificateAuthority } from "../security/certificateAuthority";
import type { SelfHostedConfig } from "../settings";
import type { SelfHostedRedisArgs } from "./args";
import { buildSelfHosted } from "./backend";
import { DockerDeployment } from "./docker/dockerDeployment";
import { KubernetesRedis } from "./kubernetes/kubernetesRedis";
import { SELF_HOSTED_PLATFORMS } from "./platforms";
import { selfHostedConfig } from "./settings";
import { selfHostedArgsProblems } from "./validate";

/** The type token of {@link SelfHostedRedis}. */
export const SELF_HOSTED_REDIS_TYPE = "redisplatform:selfhosted:SelfHostedRedis";

/**
 * Checks {@link SelfHostedRedisArgs} and resolves them, the platform's own checks included (ports, names),
 * before anything is registered. Run by `SelfHostedRedis` and the `Redis` facade before `super()`.
 *
 * @param component the component's type name, for the message
 * @param name the component's name: the platform's names derive from it
 * @throws ComponentArgsError listing every argument that does not fit; Error from the platform's checks;
 *   BackendNotAvailableError when the platform has not landed
 */
export function validateSelfHostedRedisArgs(component: string, name: string, args: SelfHostedRedisArgs): SelfHostedConfig {
    throwOnProblems(component, name, args, selfHostedArgsProblems(args));
    const platform = SELF_HOSTED_PLATFORMS[args.platform];
    if (platform === undefined) {
        throw new BackendNotAvailableError(`Self-hosted platform "${args.platform}" (platform)`);
    }
    const config = selfHostedConfig(args, pulumi.getStack());
    platform.layout(name, config);
    return config;
}

/**
 * Redis that this project runs itself: one node, a primary with replicas and sentinels, or a Redis Cluster,
 * on Docker (dev) or Kubernetes (prod), with a generated CA and certificates, ACL users with random
 * passwords, exporters, alerting and scheduled backups. Give a Kubernetes or Docker provider through
 * `opts.providers` (or `opts.provider`) to deploy into a cluster created by the same program.
 */
export class SelfHostedRedis extends pulumi.ComponentResource {
    /** Every setting decided: what the nodes were rendered from. */
    public readonly settings: SelfHostedConfig;
    /** How clients connect: the primary, the sentinels or the cluster seeds, and TLS. Holds no secret. */
    public readonly connection: pulumi.Output<RedisConnection>;
    /** Username and password per user, system users included, as a secret. */
    public readonly credentials: pulumi.Output<RoleCredentials>;
    /** The client certificate applications present when mTLS is on, as a secret. */
    public readonly clientCertificate: pulumi.Output<ClientCertificatePem> | undefined;
    /** The CA and every node's certificate (TLS only); `caCertPem` is what clients trust. */
    public readonly certificateAuthority: CertificateAuthority | undefined;
    /** The ACL users and their passwords. */
    public readonly users: AclUsers;
    /** The platform's component: `KubernetesRedis` or `DockerDeployment`. */
    public readonly platform: pulumi.ComponentResource;
    /** How clients connect through the Envoy proxy (`proxy.enabled`); holds no secret. See docs/proxy.md. */
    public readonly proxyConnection: pulumi.Output<RedisConnection> | undefined;
    /** The Kubernetes platform's component (namespace, StatefulSets, Services), on `kubernetes`. */
    public readonly kubernetes: KubernetesRedis | undefined;
    /** The Docker platform's component, on `docker`. */
    public readonly docker: DockerDeployment | undefined;

    /**
     * @param name the logical name; children and platform objects are named after it
     * @param args topology, platform and settings; secrets may be Outputs
     * @param opts resource options; the Kubernetes or Docker provider is inherited by every child
     * @throws ComponentArgsError (or the platform's Error) before registering anything on args that do not fit
     */
    constructor(name: string, args: SelfHostedRedisArgs, opts?: pulumi.ComponentResourceOptions) {
        const settings = validateSelfHostedRedisArgs("SelfHostedRedis", name, args);
        super(SELF_HOSTED_REDIS_TYPE, name, {}, opts);
        const built = buildSelfHosted(name, settings, args.secrets ?? {}, this);
        this.settings = settings;
        this.connection = built.connection;
        this.credentials = pulumi.secret(built.credentials);
        this.clientCertificate = built.clientCertificate;
        this.certificateAuthority = built.certificateAuthority;
        this.users = built.users;
        this.platform = built.platform;
        this.proxyConnection = built.proxyConnection;
        this.kubernetes = built.platform instanceof KubernetesRedis ? built.platform : undefined;
        this.docker = built.platform instanceof DockerDeployment ? built.platform : undefined;
        this.registerOutputs({ connection: this.connection, credentials: this.credentials, clientCertificate: this.clientCertificate, proxyConnection: this.proxyConnection });
    }
}
