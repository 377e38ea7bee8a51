/**
 * The library: the `Redis` facade and the reusable components it is built from, for programs that want
 * them without this repository's stack files. The ioredis client lives at `pulumi-redis-platform/client`.
 *
 * @packageDocumentation
 */
export { Redis } from "./redis";
export type { RedisArgs } from "./redis";
export { BackendNotAvailableError } from "./backend";
export type { BackendBuilder, BackendOutputs, StackSecrets } from "./backend";
export { connectionUrl } from "./connection";
export type { Credential, Endpoint, RedisConnection, RoleCredentials } from "./connection";
export { CertificateAuthority } from "./security/certificateAuthority";
export type { CertificateAuthorityArgs, IssuedCertificate, KeyAlgorithm } from "./security/certificateAuthority";
export { AclUsers } from "./security/aclUsers";
export type { AclUserSpec, AclUsersArgs } from "./security/aclUsers";
export { BackupBucket } from "./backup/backupBucket";
export { ElastiCache } from "./elasticache/elastiCache";
export { UpstashDatabase } from "./upstash/database";
export { renderDeployment } from "./redisconf/deployment";
export { renderUsersAcl } from "./redisconf/acl";
export { parseStackConfig } from "../stacks/config/parse";
export type { ResolvedStackConfig } from "../stacks/config/resolve";
