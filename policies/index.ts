import { PolicyPack } from "@pulumi/policy";
import { ALL_POLICIES } from "./rules/all";

// The only place the pack is constructed: constructing it starts the analyzer's gRPC server, so tests and
// the offline runner import ./rules/all instead.
new PolicyPack("redis-platform", {
    description: "Security, data-safety and best-practice rules for the Redis platform, by category: network exposure, authentication and privilege, pod and container security, data at rest and in transit, resilience and operations (ElastiCache, Upstash, KMS, CloudWatch, S3, security groups, Kubernetes, Docker, rendered Redis config, the stack itself).",
    policies: ALL_POLICIES,
});
