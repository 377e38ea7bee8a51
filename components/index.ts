/**
 * The library: one component per backend (`ElastiCacheRedis`, `UpstashRedis`, `SelfHostedRedis`), the
 * `Redis` facade that picks one by `backend`, and the pieces they are built from. Every component takes
 * `pulumi.Input` for ids, ARNs, CIDR blocks and secrets, so it composes with other resources and
 * StackReferences. The ioredis client lives at `pulumi-redis-platform/client`.
 *
 * @packageDocumentation
 */
export { Redis, REDIS_TYPE } from "./redis";
export type { RedisArgs } from "./redis";
export { ElastiCacheRedis, ELASTICACHE_REDIS_TYPE, validateElastiCacheRedisArgs } from "./elasticache/elastiCacheRedis";
export type { ElastiCacheRedisArgs } from "./elasticache/args";
export { elastiCacheArgsProblems } from "./elasticache/validate";
export type { AlarmThresholds } from "./elasticache/alarmThresholds";
export type { RbacUserSpec } from "./elasticache/rbacUsers";
export { UpstashRedis, UPSTASH_REDIS_TYPE, validateUpstashPlan } from "./upstash/upstashRedis";
export type { UpstashRedisArgs } from "./upstash/args";
export type { UpstashRegion } from "./upstash/regions";
export { SelfHostedRedis, SELF_HOSTED_REDIS_TYPE, validateSelfHostedRedisArgs } from "./selfhosted/selfHostedRedis";
export type { SelfHostedRedisArgs } from "./selfhosted/args";
export type { SharedSettingsArgs } from "./resolveSettings";
export { selfHostedArgsProblems } from "./selfhosted/validate";
export { selfHostedConfig } from "./selfhosted/settings";
export { KubernetesRedis } from "./selfhosted/kubernetes/kubernetesRedis";
export { DockerDeployment } from "./selfhosted/docker/dockerDeployment";
export { BackendNotAvailableError } from "./backend";
export type { BackendOutputs, ClientCertificatePem, StackSecrets } from "./backend";
export { ComponentArgsError } from "./problems";
export type { ArgProblem } from "./problems";
export { RECEIVER_SECRET, SECRET_NAMES } from "./secrets";
export type { RedisSecrets, SecretName } from "./secrets";
export { DEFAULT_ACL, DEFAULT_BACKUP, DEFAULT_MONITORING, DEFAULT_TLS } from "./defaults";
export type * from "./settings";
export { BACKENDS } from "./settings";
export { connectionUrl, parseConnectionUrl } from "./connection";
export type { Credential, Endpoint, ParsedConnectionUrl, RedisConnection, RoleCredentials } from "./connection";
export { CertificateAuthority } from "./security/certificateAuthority";
export type { CertificateAuthorityArgs, IssuedCertificate, KeyAlgorithm } from "./security/certificateAuthority";
export { AclUsers } from "./security/aclUsers";
export type { AclUserSpec, AclUsersArgs } from "./security/aclUsers";
export { BackupBucket } from "./backup/backupBucket";
export { renderDeployment } from "./redisconf/deployment";
export { renderUsersAcl } from "./redisconf/acl";
