import { knownStrings, knownValue } from "../inputs";
import type { ArgProblem } from "../problems";
import type { ElastiCacheRedisArgs } from "./args";
import { supportedServerlessMajor } from "./engineFamily";
import { CLOUDWATCH_RETENTION_DAYS } from "./logRetention";
import { supportsDataTiering } from "./nodeTypes";
import { MANAGED_PARAMETERS } from "./parameters";
import { dailyWindow, weeklyWindow, windowMinutes, windowsOverlap } from "./windows";

/**
 * The checks of {@link ElastiCacheRedisArgs} that involve more than one argument: `ElastiCacheRedis` runs
 * them before `super()`, and the stack files run the same ones on `redis:elasticache` (paths then start with
 * `elasticache`, except `engine`). An argument that is an Output is checked where it is used, when it resolves.
 * Pure: no Pulumi.
 */

/** The example VPC's block when `exampleVpc` names none. */
export const DEFAULT_EXAMPLE_VPC_CIDR = "10.42.0.0/16";

/** Keys that only a node-based replication group has. */
const NODE_BASED_KEYS = [
    "clusterMode",
    "nodeType",
    "replicas",
    "shards",
    "multiAz",
    "port",
    "logs",
    "snapshotWindow",
    "finalSnapshot",
    "maintenanceWindow",
    "autoMinorVersionUpgrade",
    "applyImmediately",
    "dataTiering",
    "authTokenLength",
    "authTokenRotation",
    "migratingFromAuthToken",
] as const;

type Add = (path: (string | number)[], message: string) => void;

/**
 * Every problem of the args, each with the argument path to blame.
 *
 * @param args the component's args
 */
export function elastiCacheArgsProblems(args: ElastiCacheRedisArgs): ArgProblem[] {
    const problems: ArgProblem[] = [];
    const add: Add = (path, message) => problems.push({ path, message });
    const prod = args.environment === "prod";

    if (args.mode === "serverless") {
        for (const key of NODE_BASED_KEYS) {
            if (args[key] !== undefined) {
                add([key], 'does not apply to mode "serverless": ElastiCache Serverless sizes, replicates, patches and logs itself');
            }
        }
        if (Object.keys(args.parameters ?? {}).length > 0) {
            add(["parameters"], 'does not apply to mode "serverless": Serverless caches take no parameter group');
        }
        if (args.authentication === "token") {
            add(["authentication"], 'must be "rbac" with mode "serverless": Serverless caches authenticate only RBAC users');
        }
        if (args.transitEncryptionMode === "preferred") {
            add(["transitEncryptionMode"], 'must be "required" with mode "serverless": Serverless caches accept TLS connections only');
        }
        if (args.serverless === undefined) {
            add(["serverless"], 'is required with mode "serverless": set serverless.maxDataStorageGb and serverless.maxEcpuPerSecond so a runaway client cannot run up the bill');
        } else {
            const limits = args.serverless;
            if (limits.minDataStorageGb !== undefined && limits.minDataStorageGb > limits.maxDataStorageGb) {
                add(["serverless", "minDataStorageGb"], `must be at most serverless.maxDataStorageGb (${limits.maxDataStorageGb})`);
            }
            if (limits.minEcpuPerSecond !== undefined && limits.minEcpuPerSecond > limits.maxEcpuPerSecond) {
                add(["serverless", "minEcpuPerSecond"], `must be at most serverless.maxEcpuPerSecond (${limits.maxEcpuPerSecond})`);
            }
        }
        const engine = { name: args.engine?.name ?? "valkey", version: args.engine?.version };
        if (engine.version !== undefined && supportedServerlessMajor(engine.name, engine.version) === undefined) {
            add(["engine", "version"], `is not available for ElastiCache Serverless ${engine.name}: use ${engine.name === "redis" ? "7.1" : "7.2, 8.0 or 8.1"}`);
        }
    } else {
        replicationGroupProblems(args, prod, add);
    }

    if (args.serverless !== undefined && args.mode !== "serverless") {
        add(["serverless"], 'only applies to mode "serverless"');
    }
    if (args.kmsKeyArn !== undefined && args.awsManagedKey === true) {
        add(["awsManagedKey"], "cannot be true while elasticache.kmsKeyArn names a key: choose one");
    }
    networkProblems(args, prod, add);
    return problems;
}

function replicationGroupProblems(args: ElastiCacheRedisArgs, prod: boolean, add: Add): void {
    const replicas = args.replicas ?? 1;
    if (args.clusterMode === true && args.shards === 0) {
        add(["shards"], "must be at least 1 with clusterMode: true: a cluster spreads its keys over one or more shards");
    } else if (args.clusterMode !== true && args.shards !== undefined) {
        add(["shards"], "needs clusterMode: true; without cluster mode there is exactly one shard");
    }
    if (args.multiAz === true && replicas === 0) {
        add(["multiAz"], "needs at least 1 replica: Multi-AZ fails over to a replica in another zone");
    }
    if (prod && replicas === 0) {
        add(["replicas"], "must be at least 1 in a prod stack: with no replica a node failure loses the cache and its data");
    }
    if (prod && args.multiAz === false) {
        add(["multiAz"], "cannot be false in a prod stack: a zone outage would take Redis down with it");
    }
    const nodeType = knownValue(args.nodeType);
    if (nodeType !== undefined) {
        if (args.dataTiering === true && !supportsDataTiering(nodeType)) {
            add(["dataTiering"], `needs an r6gd node type (such as cache.r6gd.xlarge), not ${nodeType}: only those nodes have the SSD that data tiering spills to`);
        }
        if (args.dataTiering === false && supportsDataTiering(nodeType)) {
            add(["dataTiering"], `cannot be false with node type ${nodeType}: ElastiCache requires data tiering on r6gd nodes`);
        }
    } else if (args.nodeType === undefined && args.dataTiering === true) {
        add(["dataTiering"], "needs an r6gd node type (such as cache.r6gd.xlarge) in elasticache.nodeType");
    }
    const authentication = args.authentication ?? "rbac";
    if (authentication !== "token") {
        for (const key of ["authTokenLength", "authTokenRotation"] as const) {
            if (args[key] !== undefined) {
                add([key], 'only applies to authentication "token"');
            }
        }
    }
    if (args.migratingFromAuthToken !== undefined && authentication !== "rbac") {
        add(["migratingFromAuthToken"], 'only applies to authentication "rbac": it deletes the old AUTH token while the user group is added');
    }
    if (args.authTokenLength !== undefined && (args.authTokenLength < 16 || args.authTokenLength > 128)) {
        add(["authTokenLength"], "must be from 16 to 128: ElastiCache accepts AUTH tokens of 16 to 128 characters");
    }
    const engineName = args.engine?.name ?? "valkey";
    if (args.transitEncryptionMode === "preferred" && engineName === "redis" && args.engine?.version === "6.2") {
        add(["transitEncryptionMode"], '"preferred" needs Redis 7.0 or later (or Valkey): earlier engines cannot change in-transit encryption without replacing the cluster');
    }
    if (prod && args.transitEncryptionMode === "preferred") {
        add(["transitEncryptionMode"], '"preferred" is only a migration step and cannot stay in a prod stack: finish the migration with "required"');
    }
    if (args.logs?.retentionDays !== undefined && !CLOUDWATCH_RETENTION_DAYS.includes(args.logs.retentionDays)) {
        add(["logs", "retentionDays"], `must be one of the retention periods CloudWatch Logs accepts: ${CLOUDWATCH_RETENTION_DAYS.join(", ")}`);
    }
    if (prod && args.snapshotRetentionDays === 0) {
        add(["snapshotRetentionDays"], "must be at least 1 in a prod stack: without snapshots a lost replication group cannot be restored");
    }
    if (prod && args.finalSnapshot === false) {
        add(["finalSnapshot"], "cannot be false in a prod stack: deleting the replication group must leave a snapshot behind");
    }
    if (args.snapshotWindow !== undefined && windowMinutes(dailyWindow(args.snapshotWindow)) < 60) {
        add(["snapshotWindow"], "must be at least 60 minutes long");
    }
    if (args.maintenanceWindow !== undefined && windowMinutes(weeklyWindow(args.maintenanceWindow)) < 60) {
        add(["maintenanceWindow"], "must be at least 60 minutes long");
    }
    if (args.snapshotWindow !== undefined && args.maintenanceWindow !== undefined && windowsOverlap(args.snapshotWindow, args.maintenanceWindow)) {
        add(["snapshotWindow"], `must not overlap elasticache.maintenanceWindow (${args.maintenanceWindow}): ElastiCache refuses overlapping windows`);
    }
    for (const name of Object.keys(args.parameters ?? {})) {
        const managedBy = MANAGED_PARAMETERS[name];
        if (managedBy !== undefined) {
            add(["parameters", name], `is managed by ${managedBy}: set it there`);
        }
    }
}

function networkProblems(args: ElastiCacheRedisArgs, prod: boolean, add: Add): void {
    if (args.subnetIds === undefined && args.exampleVpc === undefined) {
        add(["subnetIds"], "is required (with elasticache.vpcId), or set elasticache.exampleVpc to create a private example VPC");
    }
    if (args.subnetIds !== undefined && args.exampleVpc !== undefined) {
        add(["exampleVpc"], "cannot be set together with elasticache.subnetIds: use your own subnets or the example VPC, not both");
    }
    if (args.subnetIds !== undefined && args.vpcId === undefined) {
        add(["vpcId"], "is required with elasticache.subnetIds: the security group is created in that VPC");
    }
    if (args.exampleVpc !== undefined && args.vpcId !== undefined) {
        add(["vpcId"], "cannot be set with elasticache.exampleVpc, which creates its own VPC");
    }
    const examplePrefix = args.exampleVpc ? Number((args.exampleVpc.cidrBlock ?? DEFAULT_EXAMPLE_VPC_CIDR).split("/")[1]) : undefined;
    if (examplePrefix !== undefined && (examplePrefix < 16 || examplePrefix > 24)) {
        add(["exampleVpc", "cidrBlock"], "must be a /16 to /24 block: the example VPC splits it into 3 subnets 16 times smaller");
    }
    if (prod && args.exampleVpc !== undefined) {
        add(["exampleVpc"], "is for examples and cannot be used in a prod stack: name your own subnets in elasticache.subnetIds");
    }
    const subnetIds = knownStrings(args.subnetIds);
    if (subnetIds !== undefined && new Set(subnetIds).size !== subnetIds.length) {
        add(["subnetIds"], "lists a subnet twice");
    }
    const multiAz = args.mode === "serverless" || args.multiAz === true || (args.multiAz === undefined && (args.replicas ?? 1) > 0);
    if (multiAz && subnetIds !== undefined && subnetIds.length < 2) {
        add(["subnetIds"], `must name at least 2 subnets in different zones ${args.mode === "serverless" ? "for a Serverless cache" : "for Multi-AZ"}`);
    }
    if ((args.allowedSecurityGroupIds ?? []).length === 0 && (args.allowedCidrs ?? []).length === 0) {
        add(["allowedSecurityGroupIds"], "or elasticache.allowedCidrs must name who may connect: nothing is open by default");
    }
    (args.allowedCidrs ?? []).forEach((block, index) => {
        const known = knownValue(block);
        if (known !== undefined && openToInternet(known)) {
            add(["allowedCidrs", index], "must not open Redis to the whole internet: name the application's network instead");
        }
    });
}

/** Whether a CIDR block admits every address. */
export function openToInternet(block: string): boolean {
    return block.endsWith("/0");
}
