import { z } from "zod";
import type { CrossFieldProblem } from "./schema";
import { cidr } from "./sections";

/** `redis:elasticache`: AWS ElastiCache. Its component arrives with the managed-backend work. */
export const elastiCacheSchema = z.strictObject({
    mode: z.enum(["replicationGroup", "serverless"]).default("replicationGroup"),
    clusterMode: z.boolean().default(false),
    nodeType: z
        .string()
        .regex(/^cache\.[a-z0-9]+\.[a-z0-9]+$/, { error: "must be an ElastiCache node type such as cache.r7g.large" })
        .default("cache.t4g.small"),
    replicas: z.number().int().min(0).max(5).default(1),
    shards: z.number().int().min(1).max(500).optional(),
    multiAz: z.boolean().optional(),
    subnetIds: z.array(z.string().regex(/^subnet-[0-9a-f]+$/, { error: "must be a subnet id such as subnet-0abc123" })).optional(),
    allowedSecurityGroupIds: z.array(z.string().regex(/^sg-[0-9a-f]+$/, { error: "must be a security group id such as sg-0abc123" })).default([]),
    allowedCidrs: z.array(cidr).default([]),
    authentication: z.enum(["rbac", "token"]).default("rbac"),
    transitEncryptionMode: z.enum(["required", "preferred"]).default("required"),
    snapshotRetentionDays: z.number().int().min(0).max(35).optional(),
});

/**
 * The problems of the `redis:elasticache` section that involve more than one key. Paths start at the
 * namespace root.
 */
export function elastiCacheProblems(elasticache: z.output<typeof elastiCacheSchema>, environment: string): CrossFieldProblem[] {
    const problems: CrossFieldProblem[] = [];
    const add = (path: (string | number)[], message: string) => problems.push({ path: ["elasticache", ...path], message });
    if (elasticache.mode === "serverless") {
        for (const key of ["shards", "multiAz"] as const) {
            if (elasticache[key] !== undefined) {
                add([key], 'does not apply to mode "serverless": ElastiCache Serverless sizes and replicates itself');
            }
        }
    }
    if (!elasticache.clusterMode && elasticache.shards !== undefined) {
        add(["shards"], "needs clusterMode: true; without cluster mode there is exactly one shard");
    }
    if (elasticache.multiAz === true && elasticache.replicas === 0) {
        add(["multiAz"], "needs at least 1 replica: Multi-AZ fails over to a replica in another zone");
    }
    if (environment === "prod" && elasticache.mode === "replicationGroup" && elasticache.replicas === 0) {
        add(["replicas"], "must be at least 1 in a prod stack: with no replica a node failure loses the cache and its data");
    }
    if (elasticache.allowedSecurityGroupIds.length === 0 && elasticache.allowedCidrs.length === 0) {
        add(["allowedSecurityGroupIds"], "or elasticache.allowedCidrs must name who may connect: nothing is open by default");
    }
    elasticache.allowedCidrs.forEach((block, index) => {
        if (block.endsWith("/0")) {
            add(["allowedCidrs", index], "must not open Redis to the whole internet: name the application's network instead");
        }
    });
    return problems;
}
