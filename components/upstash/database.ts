import * as pulumi from "@pulumi/pulumi";
import * as upstash from "@upstash/pulumi";
import type { RedisConnection, RoleCredentials } from "../connection";
import { UPSTASH_REGIONS } from "./regions";
import type { UpstashPlan } from "./plan";

/** Arguments of {@link UpstashDatabase}. */
export interface UpstashDatabaseArgs {
    /** Every option decided (see `planUpstash`). */
    plan: UpstashPlan;
    /** The Upstash management API key, a secret. */
    apiKey: pulumi.Input<string>;
}

/**
 * An Upstash global database (primary region plus read regions) with TLS always on, eviction per workload
 * profile, a monthly budget, optional autoscaling and prod pack, and an IP allowlist, created through its
 * own provider instance so the API key never comes from ambient credentials. The password and both REST
 * tokens leave this component only as secrets.
 */
export class UpstashDatabase extends pulumi.ComponentResource {
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

    /**
     * @param name the logical name; children are named after it
     * @param args the plan and the API key
     * @param opts resource options
     * @throws Error before registering anything on a region or budget Upstash refuses
     */
    constructor(name: string, args: UpstashDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        validateUpstashDatabaseArgs(args.plan);
        super("redisplatform:upstash:UpstashDatabase", name, {}, opts);
        const { plan } = args;

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
                ipAllowlists: plan.ipAllowlist.length > 0 ? plan.ipAllowlist : undefined,
            },
            { parent: this, provider, protect: plan.protect, additionalSecretOutputs: ["password", "restToken", "readOnlyRestToken"] },
        );

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
 * Checks the plan of {@link UpstashDatabase}.
 *
 * @throws Error naming the argument, the value and what is allowed
 */
export function validateUpstashDatabaseArgs(plan: UpstashPlan): void {
    const regions: readonly string[] = UPSTASH_REGIONS;
    for (const region of [plan.primaryRegion, ...plan.readRegions]) {
        if (!regions.includes(region)) {
            throw new Error(`UpstashDatabase: region "${region}": must be one of ${UPSTASH_REGIONS.join(", ")}`);
        }
    }
    if (plan.readRegions.includes(plan.primaryRegion)) {
        throw new Error(`UpstashDatabase: readRegions includes the primary region "${plan.primaryRegion}": read regions must be other regions`);
    }
    if (!Number.isInteger(plan.budgetUsd) || plan.budgetUsd < 1) {
        throw new Error(`UpstashDatabase: budgetUsd = ${plan.budgetUsd}: must be a whole number of dollars, at least 1`);
    }
    for (const entry of plan.ipAllowlist) {
        if (/\/0$/.test(entry)) {
            throw new Error(`UpstashDatabase: ipAllowlist includes ${entry}: must not admit the whole internet; leave the list empty to admit every address`);
        }
    }
}
