import * as bucket from "../../../policies/rules/bucket";
import { Fixture, FixtureResource, RuleCase } from "../helpers";

const TLS_POLICY = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Sid: "TlsOnly", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: ["arn:aws:s3:::backups", "arn:aws:s3:::backups/*"], Condition: { Bool: { "aws:SecureTransport": "false" } } }],
});

/** The configuration resources of a backup bucket that satisfies every bucket rule, keyed by what they configure. */
const PARTS: Record<string, FixtureResource> = {
    publicAccess: {
        type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        name: "backups-public-access",
        props: { bucket: "backups-id", blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
        dependsOn: ["backups"],
    },
    versioning: { type: "aws:s3/bucketVersioning:BucketVersioning", name: "backups-versioning", props: { bucket: "backups-id", versioningConfiguration: { status: "Enabled" } }, dependsOn: ["backups"] },
    encryption: {
        type: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        name: "backups-sse",
        props: { bucket: "backups-id", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "key" }, bucketKeyEnabled: true }] },
        dependsOn: ["backups"],
    },
    policy: { type: "aws:s3/bucketPolicy:BucketPolicy", name: "backups-policy", props: { bucket: "backups-id", policy: TLS_POLICY }, dependsOn: ["backups"] },
    lifecycle: {
        type: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        name: "backups-lifecycle",
        props: { bucket: "backups-id", rules: [{ id: "expire", status: "Enabled", expiration: { days: 30 }, noncurrentVersionExpiration: { noncurrentDays: 7 } }] },
        dependsOn: ["backups"],
    },
};

/** A bucket with its parts, some replaced or removed. */
function bucketWith(replace: Partial<Record<keyof typeof PARTS, FixtureResource | null>> = {}, bucketProps: Record<string, unknown> = {}): Fixture {
    const parts = Object.entries(PARTS)
        .map(([key, part]) => (key in replace ? replace[key] : part))
        .filter((part): part is FixtureResource => part !== null && part !== undefined);
    return { resources: [{ type: "aws:s3/bucket:Bucket", name: "backups", props: { bucketPrefix: "redis-backups-", ...bucketProps } }, ...parts] };
}

const good = { title: "a bucket with every configuration resource", fixture: bucketWith() };

/** A log bucket (SSE-S3, as S3 requires of log targets) and the BucketLogging that sends `source`'s access logs to it. */
function accessLogs(source = "backups", target = "logs"): FixtureResource[] {
    return [
        { type: "aws:s3/bucket:Bucket", name: target, props: { bucketPrefix: `${target}-` } },
        {
            type: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            name: `${target}-sse`,
            props: { bucket: `${target}-id`, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
            refs: { bucket: [target] },
        },
        { type: "aws:s3/bucketLogging:BucketLogging", name: `${source}-logging`, props: { bucket: `${source}-id`, targetBucket: `${target}-id`, targetPrefix: `${source}/` }, refs: { bucket: [source], targetBucket: [target] } },
    ];
}
const logged = (fixture: Fixture, source?: string): Fixture => ({ resources: [...fixture.resources, ...accessLogs(source)] });
const v2 = { title: "the V2 resource names", fixture: { resources: bucketWith().resources.map((resource) => (resource.name === "backups" ? { ...resource, type: "aws:s3/bucketV2:BucketV2" } : resource)) } };

/** Fixtures of every backup-bucket rule. */
export const BUCKET_CASES: RuleCase[] = [
    {
        policy: bucket.bucketPublicAccessBlock,
        pass: [good, v2],
        flag: [
            { title: "no public access block", fixture: bucketWith({ publicAccess: null }), messages: ["bucket backups: has no BucketPublicAccessBlock: add one with all four settings true"] },
            {
                title: "a partial block",
                fixture: bucketWith({ publicAccess: { ...PARTS.publicAccess, props: { ...PARTS.publicAccess.props, blockPublicPolicy: false, restrictPublicBuckets: undefined } } }),
                messages: ["bucket backups: public access block leaves blockPublicPolicy, restrictPublicBuckets off: set them to true"],
            },
            {
                title: "a block on another bucket",
                fixture: { resources: [...bucketWith({ publicAccess: null }).resources, { type: "aws:s3/bucket:Bucket", name: "other", props: {} }, { ...PARTS.publicAccess, dependsOn: ["other"], props: { ...PARTS.publicAccess.props, bucket: "other-id" } }] },
                messages: ["bucket backups: has no BucketPublicAccessBlock: add one with all four settings true"],
            },
        ],
    },
    {
        policy: bucket.bucketVersioning,
        pass: [good, { title: "inline versioning (legacy)", fixture: bucketWith({ versioning: null }, { versioning: { enabled: true } }) }],
        flag: [
            { title: "no versioning", fixture: bucketWith({ versioning: null }), messages: ["bucket backups: has no BucketVersioning: add one with status Enabled"] },
            {
                title: "suspended",
                fixture: bucketWith({ versioning: { ...PARTS.versioning, props: { bucket: "backups-id", versioningConfiguration: { status: "Suspended" } } } }),
                messages: ['bucket backups: versioning status is "Suspended": set it to "Enabled"'],
            },
        ],
    },
    {
        policy: bucket.bucketEncryption,
        pass: [
            good,
            {
                title: "AES256 where allowed",
                fixture: { ...bucketWith({ encryption: { ...PARTS.encryption, props: { bucket: "backups-id", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] } } }), config: { allowS3ManagedKeys: true } },
            },
            { title: "AES256 on the bucket that receives access logs", fixture: logged(bucketWith()) },
        ],
        flag: [
            { title: "no default encryption", fixture: bucketWith({ encryption: null }), messages: ["bucket backups: has no BucketServerSideEncryptionConfiguration: encrypt by default with aws:kms"] },
            {
                title: "AES256 by default",
                fixture: bucketWith({ encryption: { ...PARTS.encryption, props: { bucket: "backups-id", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] } } }),
                messages: ['bucket backups: default encryption is "AES256": use "aws:kms" or "aws:kms:dsse"'],
            },
        ],
    },
    {
        policy: bucket.bucketAccessLogging,
        pass: [
            { title: "access logs delivered to a log bucket (which need not log itself)", fixture: logged(bucketWith()) },
            { title: "inline logging (legacy)", fixture: bucketWith({}, { loggings: [{ targetBucket: "central-logs", targetPrefix: "backups/" }] }) },
        ],
        flag: [
            { title: "no access logging", fixture: bucketWith(), messages: ["bucket backups: has no BucketLogging: deliver its server access logs to a log bucket so reads and deletes of backups are on record"] },
            {
                title: "a second bucket without logging",
                fixture: { resources: [...logged(bucketWith()).resources, { type: "aws:s3/bucketV2:BucketV2", name: "exports", props: {} }] },
                messages: ["bucket exports: has no BucketLogging: deliver its server access logs to a log bucket so reads and deletes of backups are on record"],
            },
        ],
    },
    {
        policy: bucket.bucketTlsOnly,
        pass: [good],
        flag: [
            {
                title: "a policy without the TLS deny",
                fixture: bucketWith({ policy: { ...PARTS.policy, props: { bucket: "backups-id", policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "s3:GetObject", Resource: "*" }] }) } } }),
                messages: ['bucket backups: has no bucket policy denying s3:* when aws:SecureTransport is "false": add one so backups never travel over plain HTTP'],
            },
        ],
    },
    {
        policy: bucket.bucketLifecycle,
        pass: [good],
        flag: [
            { title: "no lifecycle", fixture: bucketWith({ lifecycle: null }), messages: ["bucket backups: has no enabled lifecycle rule: expire backups after their retention"] },
            {
                title: "transitions only",
                fixture: bucketWith({ lifecycle: { ...PARTS.lifecycle, props: { bucket: "backups-id", rules: [{ id: "archive", status: "Enabled", transitions: [{ days: 7, storageClass: "GLACIER" }] }] } } }),
                messages: ["bucket backups: lifecycle rules never expire objects: add an expiration"],
            },
        ],
    },
];
