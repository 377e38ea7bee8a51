import { PolicyPack } from "@pulumi/policy";
import { ALL_POLICIES } from "./rules/all";

// The only place the pack is constructed: constructing it starts the analyzer's gRPC server, so tests and
// the offline runner import ./rules/all instead.
new PolicyPack("redis-platform", {
    description: "Security, data-safety and best-practice rules for the Redis platform: ElastiCache, Upstash, backup buckets, security groups, Kubernetes, Docker, rendered Redis config and the stack itself.",
    policies: ALL_POLICIES,
});
