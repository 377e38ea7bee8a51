import * as pulumi from "@pulumi/pulumi";
import * as upstash from "@upstash/pulumi";
import type { RedisConnection, RoleCredentials } from "../connection";
import { checkedInput, knownValue } from "../inputs";
import type { UpstashRedisArgs } from "./args";
import { planUpstash, UpstashPlan } from "./plan";
import { UPSTASH_REGIONS } from "./regions";

/** The type token of {@link UpstashRedis}. */
export const UPSTASH_REDIS_TYPE = "redisplatform:upstash:UpstashRedis";
/** The token the component had before 0.2.0, kept as an alias so existing stacks are not replaced. */
export const UPSTASH_REDIS_OLD_TYPE = "redisplatform:upstash:UpstashDatabase";

/**
 * An Upstash global database (primary region plus read regions) with TLS always on, eviction per workload
 * profile, a monthly budget, optional autoscaling and prod pack, and an IP allowlist, created through its
 * own provider instance so the API key never comes from ambient credentials. The password and both REST
 * tokens leave this component only as secrets.
 */
export class UpstashRedis extends pulumi.ComponentResource {
    /** How clients connect. Holds no secret. */
    public readonly connection: pulumi.Output<RedisConnection>;
    /** The database password under the stack's application user, as a secret. */
    public readonly credentials: pulumi.Output<RoleCredentials>;
    /** The REST API URL. */
    public readonly restUrl: pulumi.Output<string>;
    /** The REST token (read and write), as a secret. */
    public readonly restToken: pulumi.Output<string>;
    /** The read-only REST token, as a secret. */
    public readonly readOnlyRestToken: pulumi.Output<string>;
    /** The Upstash database resource. */
    public readonly database: upstash.RedisDatabase;

    /**
     * @param name the logical name; children are named after it
     * @param args the database's settings and the account's API key
     * @param opts resource options
     * @throws Error before registering anything on a region or budget Upstash refuses
     */
    constructor(name: string, args: UpstashRedisArgs, opts?: pulumi.ComponentResourceOptions) {
        const plan = planUpstash(`${name}-${pulumi.getStack()}`, args);
        validateUpstashPlan(plan);
        super(UPSTASH_REDIS_TYPE, name, {}, { ...opts, aliases: [...(opts?.aliases ?? []), { type: UPSTASH_REDIS_OLD_TYPE }] });

        const provider = new upstash.Provider(`${name}-provider`, { email: plan.email, apiKey: pulumi.secret(args.apiKey) }, { parent: this });
        const database = new upstash.RedisDatabase(
            `${name}-db`,
            {
                databaseName: plan.databaseName,
                // Upstash only creates global databases; the region lives in primaryRegion.
                region: "global",
                primaryRegion: plan.primaryRegion,
                readRegions: plan.readRegions,
                // Set explicitly: left out, every preview shows a diff against Upstash's default.
                tls: true,
                eviction: plan.eviction,
                budget: plan.budgetUsd,
                autoScale: plan.autoScale,
                prodPack: plan.prodPack,
                ipAllowlists: plan.ipAllowlist.length > 0 ? plan.ipAllowlist.map((entry) => checkedInput(entry, allowlistProblem)) : undefined,
            },
            { parent: this, provider, protect: plan.protect, additionalSecretOutputs: ["password", "restToken", "readOnlyRestToken"] },
        );

        this.database = database;
        this.connection = pulumi.all([database.endpoint, database.port]).apply(
            ([host, port]): RedisConnection => ({ mode: "standalone", endpoints: [{ host, port }], tls: { enabled: true, serverName: host } }),
        );
        this.credentials = pulumi.secret(database.password.apply((password) => ({ [plan.userName]: { username: "default", password } })));
        this.restUrl = pulumi.interpolate`https://${database.endpoint}`;
        this.restToken = pulumi.secret(database.restToken);
        this.readOnlyRestToken = pulumi.secret(database.readOnlyRestToken);
        this.registerOutputs({
            connection: this.connection,
            credentials: this.credentials,
            restUrl: this.restUrl,
            restToken: this.restToken,
            readOnlyRestToken: this.readOnlyRestToken,
        });
    }
}

/**
 * Checks the plan of {@link UpstashRedis}: regions, budget, and the allowlist entries known before the
 * deployment (the others are checked when they resolve).
 *
 * @throws Error naming the argument, the value and what is allowed
 */
export function validateUpstashPlan(plan: UpstashPlan): void {
    const regions: readonly string[] = UPSTASH_REGIONS;
    for (const region of [plan.primaryRegion, ...plan.readRegions]) {
        if (!regions.includes(region)) {
            throw new Error(`UpstashRedis: region "${region}": must be one of ${UPSTASH_REGIONS.join(", ")}`);
        }
    }
    if (plan.readRegions.includes(plan.primaryRegion)) {
        throw new Error(`UpstashRedis: readRegions includes the primary region "${plan.primaryRegion}": read regions must be other regions`);
    }
    if (new Set(plan.readRegions).size !== plan.readRegions.length) {
        throw new Error(`UpstashRedis: readRegions = ${JSON.stringify(plan.readRegions)}: lists a region twice`);
    }
    if (!Number.isInteger(plan.budgetUsd) || plan.budgetUsd < 1) {
        throw new Error(`UpstashRedis: budgetUsd = ${plan.budgetUsd}: must be a whole number of dollars, at least 1`);
    }
    for (const entry of plan.ipAllowlist) {
        const known = knownValue(entry);
        const problem = known === undefined ? undefined : allowlistProblem(known);
        if (problem !== undefined) {
            throw new Error(problem);
        }
    }
}

function allowlistProblem(entry: string): string | undefined {
    return /\/0$/.test(entry) ? `UpstashRedis: ipAllowlist includes ${entry}: must not admit the whole internet; leave the list empty to admit every address` : undefined;
}
