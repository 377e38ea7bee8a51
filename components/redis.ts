import * as pulumi from "@pulumi/pulumi";
import type { BackendOutputs, ClientCertificatePem } from "./backend";
import { connectionUrl, RedisConnection, RoleCredentials } from "./connection";
import { DEFAULT_ACL } from "./defaults";
import type { ElastiCacheRedisArgs } from "./elasticache/args";
import { ElastiCacheRedis, validateElastiCacheRedisArgs } from "./elasticache/elastiCacheRedis";
import { elastiCacheIdentifier } from "./elasticache/identifiers";
import type { SelfHostedRedisArgs } from "./selfhosted/args";
import { buildSelfHosted, SelfHostedBuild } from "./selfhosted/backend";
import { validateSelfHostedRedisArgs } from "./selfhosted/selfHostedRedis";
import type { Backend } from "./settings";
import type { UpstashRedisArgs } from "./upstash/args";
import { UpstashRedis, validateUpstashPlan } from "./upstash/upstashRedis";
import { planUpstash } from "./upstash/plan";

/** The type token of {@link Redis}. */
export const REDIS_TYPE = "redisplatform:index:Redis";

/**
 * Arguments of the {@link Redis} facade: `backend` picks the backend, and the rest are that backend's
 * args (`ElastiCacheRedisArgs`, `UpstashRedisArgs` or `SelfHostedRedisArgs`).
 */
export type RedisArgs = ({ backend: "elasticache" } & ElastiCacheRedisArgs) | ({ backend: "upstash" } & UpstashRedisArgs) | ({ backend: "selfhosted" } & SelfHostedRedisArgs);

/**
 * One Redis deployment, whichever backend the args choose. Every backend exposes the same outputs, so
 * applications and tools consume them without knowing where Redis runs. Use `ElastiCacheRedis`,
 * `UpstashRedis` or `SelfHostedRedis` directly when the backend is fixed.
 */
export class Redis extends pulumi.ComponentResource {
    /** The backend that was built. */
    public readonly backend: Backend;
    /** How clients connect: mode, endpoints, reader endpoints, sentinel master name, TLS settings. */
    public readonly connection: pulumi.Output<RedisConnection>;
    /** Username and password per role (`app`, `readonly`, `admin`, `monitor`, ...), as a secret. */
    public readonly credentials: pulumi.Output<RoleCredentials>;
    /**
     * A URL for the first application user, as a secret: `rediss://` to the primary (standalone) or a
     * cluster seed (cluster), `rediss+sentinel://` listing every sentinel and the master name (Sentinel).
     */
    public readonly url: pulumi.Output<string>;
    /** The client certificate and key applications present when the deployment requires mTLS, as a secret. */
    public readonly clientCertificate: pulumi.Output<ClientCertificatePem> | undefined;
    /**
     * How clients connect through the Envoy proxy in front of a self-hosted cluster (`proxy.enabled`): one TLS
     * endpoint in standalone mode, `proxy: "envoy"`. Holds no secret. See docs/proxy.md.
     */
    public readonly proxyConnection: pulumi.Output<RedisConnection> | undefined;
    /** A `rediss://` URL to the proxy for the first application user, as a secret (`proxy.enabled`). */
    public readonly proxyUrl: pulumi.Output<string> | undefined;
    /** The ElastiCache component (backend `elasticache`). */
    public readonly elastiCache: ElastiCacheRedis | undefined;
    /** The Upstash component (backend `upstash`). */
    public readonly upstash: UpstashRedis | undefined;
    /** The CA, the ACL users and the platform's component (backend `selfhosted`), children of this facade. */
    public readonly selfHosted: Omit<SelfHostedBuild, keyof BackendOutputs> | undefined;

    /**
     * @param name the logical name; children are named after it
     * @param args the backend and its args
     * @param opts resource options (providers are inherited by every child)
     * @throws ComponentArgsError, BackendNotAvailableError or the platform's Error before registering anything
     */
    constructor(name: string, args: RedisArgs, opts?: pulumi.ComponentResourceOptions) {
        // Validated before super(): bad args must leave no component behind.
        const stack = pulumi.getStack();
        type Children = Partial<Pick<Redis, "elastiCache" | "upstash" | "selfHosted">>;
        let prepare: (parent: Redis) => { outputs: BackendOutputs; appUser: string; children: Children; proxyConnection?: pulumi.Output<RedisConnection> };
        switch (args.backend) {
            case "selfhosted": {
                const { backend: _backend, ...selfHostedArgs } = args;
                const settings = validateSelfHostedRedisArgs("Redis", name, selfHostedArgs);
                prepare = (parent) => {
                    const built = buildSelfHosted(name, settings, args.secrets ?? {}, parent);
                    const { certificateAuthority, users, platform } = built;
                    return {
                        outputs: built,
                        appUser: settings.acl.users[0].name,
                        children: { selfHosted: { certificateAuthority, users, platform } },
                        ...(built.proxyConnection === undefined ? {} : { proxyConnection: built.proxyConnection }),
                    };
                };
                break;
            }
            case "elasticache": {
                const { backend: _backend, ...rest } = args;
                const cacheArgs: ElastiCacheRedisArgs = { ...rest, identifier: rest.identifier ?? elastiCacheIdentifier([name, stack]) };
                validateElastiCacheRedisArgs(name, cacheArgs);
                prepare = (parent) => {
                    const cache = new ElastiCacheRedis(`${name}-elasticache`, cacheArgs, { parent });
                    return { outputs: cache, appUser: (cacheArgs.users ?? DEFAULT_ACL.users)[0].name, children: { elastiCache: cache } };
                };
                break;
            }
            case "upstash": {
                const { backend: _backend, ...rest } = args;
                validateUpstashPlan(planUpstash(`${name}-${stack}`, rest));
                prepare = (parent) => {
                    const database = new UpstashRedis(`${name}-upstash`, { ...rest, databaseName: rest.databaseName ?? `${name}-${stack}` }, { parent });
                    return { outputs: database, appUser: rest.userName ?? "app", children: { upstash: database } };
                };
                break;
            }
        }
        super(REDIS_TYPE, name, {}, opts);
        this.backend = args.backend;
        const { outputs, appUser, children, proxyConnection } = prepare(this);
        this.elastiCache = children.elastiCache;
        this.upstash = children.upstash;
        this.selfHosted = children.selfHosted;
        this.connection = outputs.connection;
        this.credentials = pulumi.secret(outputs.credentials);
        const urlOf = (target: pulumi.Output<RedisConnection>) =>
            pulumi.secret(
                pulumi.all([target, outputs.credentials]).apply(([connection, credentials]) => {
                    const credential = credentials[appUser];
                    if (credential === undefined) {
                        throw new Error(`backend "${args.backend}" returned no credentials for app user "${appUser}"`);
                    }
                    return connectionUrl(connection, credential);
                }),
            );
        this.url = urlOf(outputs.connection);
        this.proxyConnection = proxyConnection;
        this.proxyUrl = proxyConnection === undefined ? undefined : urlOf(proxyConnection);
        this.clientCertificate = outputs.clientCertificate ? pulumi.secret(outputs.clientCertificate) : undefined;
        this.registerOutputs({ connection: this.connection, credentials: this.credentials, url: this.url, clientCertificate: this.clientCertificate, proxyConnection: this.proxyConnection, proxyUrl: this.proxyUrl });
    }
}
