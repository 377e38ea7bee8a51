import * as aws from "../../../policies/rules/awsServices";
import * as elasticache from "../../../policies/rules/elasticache";
import { CLOUDWATCH, ELASTICACHE, KMS } from "../../../policies/rules/lib/types";
import { one, RuleCase } from "../helpers";

const ROOT = { Sid: "Root", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "kms:*", Resource: "*" };
const keyPolicy = (...statements: Record<string, unknown>[]) => JSON.stringify({ Version: "2012-10-17", Statement: [ROOT, ...statements] });
const key = (props: Record<string, unknown> = {}) => one(KMS.key, { description: "redis", enableKeyRotation: true, deletionWindowInDays: 30, ...props });
const logGroup = (props: Record<string, unknown> = {}) => one(CLOUDWATCH.logGroup, { name: "/elasticache/redis/slow-log", retentionInDays: 90, kmsKeyId: "arn:aws:kms:us-east-1:111122223333:key/k", ...props });

/** Fixtures of the KMS, CloudWatch Logs and ElastiCache cache-cluster rules. */
export const AWS_SERVICE_CASES: RuleCase[] = [
    {
        policy: aws.kmsKeyRotation,
        pass: [
            { title: "a rotating key", fixture: key() },
            { title: "an asymmetric signing key (cannot rotate)", fixture: key({ enableKeyRotation: undefined, keySpec: "RSA_2048", keyUsage: "SIGN_VERIFY" }) },
        ],
        flag: [{ title: "rotation unset", fixture: key({ enableKeyRotation: undefined }), messages: ["enableKeyRotation is unset: set it to true so the key material rotates yearly"] }],
    },
    {
        policy: aws.kmsKeyPolicyNoWildcard,
        pass: [
            { title: "the account root only", fixture: key({ policy: keyPolicy() }) },
            {
                title: "a wildcard pinned to the account by kms:CallerAccount",
                fixture: key({ policy: keyPolicy({ Sid: "ViaElastiCache", Effect: "Allow", Principal: { AWS: "*" }, Action: ["kms:Decrypt"], Resource: "*", Condition: { StringEquals: { "kms:CallerAccount": "111122223333", "kms:ViaService": "elasticache.us-east-1.amazonaws.com" } } }) }),
            },
            { title: "a wildcard Deny", fixture: one(KMS.keyPolicy, { keyId: "k", policy: keyPolicy({ Sid: "DenyOthers", Effect: "Deny", Principal: "*", Action: "kms:*", Resource: "*" }) }) },
        ],
        flag: [
            {
                title: "Principal * and AWS: [*] without an identity condition",
                fixture: one(KMS.keyPolicy, {
                    keyId: "k",
                    policy: keyPolicy(
                        { Sid: "Everyone", Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*" },
                        { Effect: "Allow", Principal: { AWS: ["*"] }, Action: "kms:Encrypt", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "true" } } },
                    ),
                }),
                messages: [
                    'key policy Everyone allows principal "*" with no account or organisation condition: name the principals, or add a kms:CallerAccount / aws:PrincipalOrgID condition',
                    'key policy statement 3 allows principal "*" with no account or organisation condition: name the principals, or add a kms:CallerAccount / aws:PrincipalOrgID condition',
                ],
            },
        ],
    },
    {
        policy: aws.logGroupRetention,
        pass: [{ title: "90 days", fixture: logGroup() }, { title: "30 days against a 30-day minimum", fixture: { ...logGroup({ retentionInDays: 30 }), config: { minimumDays: 30 } } }],
        flag: [
            { title: "kept forever", fixture: logGroup({ retentionInDays: undefined }), messages: ["retentionInDays is unset: events are kept forever; set a retention"] },
            { title: "a week against a 30-day minimum", fixture: { ...logGroup({ retentionInDays: 7 }), config: { minimumDays: 30 } }, messages: ["retentionInDays is 7: keep at least 30 day(s) so incidents can be investigated"] },
        ],
    },
    {
        policy: aws.logGroupEncrypted,
        pass: [{ title: "a customer-managed key", fixture: logGroup() }],
        flag: [{ title: "no key", fixture: logGroup({ kmsKeyId: undefined }), messages: ["kmsKeyId is unset: slow-log entries carry command arguments; encrypt the group with a customer-managed KMS key"] }],
    },
    {
        policy: elasticache.clusterInReplicationGroup,
        pass: [{ title: "a member of a replication group", fixture: one(ELASTICACHE.cluster, { clusterId: "redis-004", replicationGroupId: "redis" }) }],
        flag: [
            {
                title: "a standalone Redis cluster",
                fixture: one(ELASTICACHE.cluster, { clusterId: "redis", engine: "redis", nodeType: "cache.t4g.micro", numCacheNodes: 1 }),
                messages: ['a standalone redis cache cluster has no at-rest encryption, no AUTH or RBAC and no failover: create a ReplicationGroup instead'],
            },
            { title: "Memcached", fixture: one(ELASTICACHE.cluster, { clusterId: "mc", engine: "memcached", numCacheNodes: 2 }), messages: ['engine "memcached" has no authentication and no replication: use a Valkey or Redis replication group'] },
        ],
    },
];
