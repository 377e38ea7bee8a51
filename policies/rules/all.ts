import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { ACCESS_RULES } from "./access";
import { AWS_SERVICE_RULES } from "./awsServices";
import { BUCKET_RULES } from "./bucket";
import { DOCKER_RULES } from "./docker";
import { ELASTICACHE_RULES } from "./elasticache";
import { EXPOSURE_RESOURCE_RULES, EXPOSURE_STACK_RULES } from "./exposure";
import { KUBERNETES_RESOURCE_RULES, KUBERNETES_STACK_RULES } from "./kubernetes";
import { NETWORK_RULES } from "./network";
import { OPERATIONS_RESOURCE_RULES, OPERATIONS_STACK_RULES } from "./operations";
import { POD_SECURITY_RULES } from "./podSecurity";
import { REDIS_CONFIG_RESOURCE_RULES, REDIS_CONFIG_STACK_RULES } from "./redisConfig";
import { STACK_RULES } from "./stack";
import { UPSTASH_RULES } from "./upstash";

/** Every rule that looks at one resource at a time. */
export const RESOURCE_POLICIES: ResourceValidationPolicy[] = [
    ...ELASTICACHE_RULES,
    ...UPSTASH_RULES,
    ...AWS_SERVICE_RULES,
    ...KUBERNETES_RESOURCE_RULES,
    ...EXPOSURE_RESOURCE_RULES,
    ...DOCKER_RULES,
    ...POD_SECURITY_RULES,
    ...REDIS_CONFIG_RESOURCE_RULES,
    ...ACCESS_RULES,
    ...OPERATIONS_RESOURCE_RULES,
];

/** Every rule that looks at the whole stack. */
export const STACK_POLICIES: StackValidationPolicy[] = [
    ...NETWORK_RULES,
    ...EXPOSURE_STACK_RULES,
    ...BUCKET_RULES,
    ...KUBERNETES_STACK_RULES,
    ...REDIS_CONFIG_STACK_RULES,
    ...STACK_RULES,
    ...OPERATIONS_STACK_RULES,
];

/**
 * The whole pack, in a stable order. `policies/index.ts` hands it to `new PolicyPack`; the offline runner
 * and the tests use it directly (never importing index.ts, which starts the analyzer's gRPC server).
 */
export const ALL_POLICIES: (ResourceValidationPolicy | StackValidationPolicy)[] = [...RESOURCE_POLICIES, ...STACK_POLICIES];
