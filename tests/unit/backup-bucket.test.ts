import { strict as assert } from "node:assert";
import { BackupBucket, BackupBucketArgs } from "../../components/backup/backupBucket";
import { accessLogBucketPolicy, backupBucketPolicy, ELASTICACHE_EXPORT_CANONICAL_ID, elastiCacheExportAccess } from "../../components/backup/bucketAccess";
import { backupBucketNaming, bucketNameProblem } from "../../components/backup/bucketName";
import { backupLifecycleRules } from "../../components/backup/lifecycle";
import { ofType, resolveOutput, runWithMocks } from "../../tools/offline/mockRuntime";

const args: BackupBucketArgs = { project: "redis-platform", stack: "prod", retentionDays: 30, archiveAfterDays: 7, region: "eu-west-1", protect: true, tags: { team: "data" } };

const outputs = {
    "aws:s3/bucket:Bucket": (_name: string, inputs: Record<string, any>) => ({ arn: `arn:aws:s3:::${inputs.bucket ?? `${inputs.bucketPrefix}20260101`}`, bucket: inputs.bucket ?? `${inputs.bucketPrefix}20260101` }),
    "aws:kms/key:Key": (name: string) => ({ arn: `arn:aws:kms:eu-west-1:111122223333:key/${name}` }),
};
const invokes = { "aws:s3/getCanonicalUserId:getCanonicalUserId": () => ({ id: "owner-canonical-id", displayName: "owner" }) };

/** The backup bucket's own resource of a type (not the access-log bucket's). */
function byType(run: Awaited<ReturnType<typeof runWithMocks>>, type: string, logs = false) {
    const found = ofType(run.resources, type).filter((resource) => resource.name.includes("-access-logs-") === logs);
    assert.equal(found.length, 1, `one ${type}`);
    return found[0];
}

describe("BackupBucket under mocks", () => {
    it("creates a versioned, KMS-encrypted, private, TLS-only bucket with its lifecycle", async () => {
        const run = await runWithMocks(() => new BackupBucket("backups", args), { outputs, invokes });
        assert.equal(run.error, undefined);
        assert.deepEqual(
            run.resources.map((resource) => resource.type).sort(),
            [
                "aws:kms/key:Key",
                ...[
                    "aws:s3/bucket:Bucket",
                    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
                    "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
                    "aws:s3/bucketPolicy:BucketPolicy",
                    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
                    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                    "aws:s3/bucketVersioning:BucketVersioning",
                ].flatMap((type) => [type, type]),
                "aws:s3/bucketLogging:BucketLogging",
                "redisplatform:backup:BackupBucket",
            ].sort(),
        );
        const component = byType(run, "redisplatform:backup:BackupBucket");
        const children = run.resources.filter((resource) => resource !== component);
        for (const child of children) {
            assert.equal(child.parent, component.urn, `${child.name} is parented to the component`);
        }
        const bucketId = "backups-bucket-id";
        assert.deepEqual(byType(run, "aws:kms/key:Key").inputs, { description: "Encrypts the Redis backups of redis-platform/prod", enableKeyRotation: true, deletionWindowInDays: 30, tags: { team: "data" } });
        const bucket = byType(run, "aws:s3/bucket:Bucket");
        assert.deepEqual(bucket.inputs, { bucketPrefix: "redis-platform-prod-redis-backups-", forceDestroy: false, tags: { team: "data" } });
        assert.equal(bucket.protect, true);
        assert.equal(byType(run, "aws:kms/key:Key").protect, true);
        assert.deepEqual(byType(run, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs, { bucket: bucketId, blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true });
        assert.deepEqual(byType(run, "aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs, { bucket: bucketId, rule: { objectOwnership: "BucketOwnerEnforced" } });
        assert.deepEqual(byType(run, "aws:s3/bucketVersioning:BucketVersioning").inputs, { bucket: bucketId, versioningConfiguration: { status: "Enabled" } });
        assert.deepEqual(byType(run, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").inputs, {
            bucket: bucketId,
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "arn:aws:kms:eu-west-1:111122223333:key/backups-key" }, bucketKeyEnabled: true }],
        });
        const policy = byType(run, "aws:s3/bucketPolicy:BucketPolicy");
        assert.deepEqual(JSON.parse(policy.inputs.policy), backupBucketPolicy({ bucketArn: "arn:aws:s3:::redis-platform-prod-redis-backups-20260101" }));
        assert.ok(policy.dependencies.includes(byType(run, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").urn), "the policy waits for the public access block");
        assert.deepEqual(byType(run, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs, {
            bucket: bucketId,
            rules: [
                {
                    id: "archive-and-expire-backups",
                    status: "Enabled",
                    filter: {},
                    transitions: [{ days: 7, storageClass: "GLACIER" }],
                    expiration: { days: 30 },
                    noncurrentVersionExpiration: { noncurrentDays: 7 },
                    abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
                },
                { id: "remove-expired-delete-markers", status: "Enabled", filter: {}, expiration: { expiredObjectDeleteMarker: true } },
            ],
        });
        // Access logs go to a second bucket: SSE-S3 (the only encryption S3 delivers logs to), as locked down, kept a year.
        const logBucket = byType(run, "aws:s3/bucket:Bucket", true);
        assert.deepEqual(logBucket.inputs, { bucketPrefix: "redis-platform-pro-redis-access-logs-", forceDestroy: false, tags: { team: "data" } });
        assert.equal(logBucket.protect, true);
        const logBucketId = "backups-access-logs-bucket-id";
        assert.deepEqual(byType(run, "aws:s3/bucketLogging:BucketLogging").inputs, { bucket: bucketId, targetBucket: logBucketId, targetPrefix: "backup-bucket/" });
        assert.deepEqual(byType(run, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", true).inputs, {
            bucket: logBucketId,
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
        });
        assert.deepEqual(byType(run, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", true).inputs, { bucket: logBucketId, blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true });
        assert.deepEqual(byType(run, "aws:s3/bucketVersioning:BucketVersioning", true).inputs.versioningConfiguration, { status: "Enabled" });
        assert.deepEqual(byType(run, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", true).inputs.rules[0].expiration, { days: 365 });
        const logPolicy = byType(run, "aws:s3/bucketPolicy:BucketPolicy", true);
        assert.deepEqual(
            JSON.parse(logPolicy.inputs.policy),
            accessLogBucketPolicy({ logBucketArn: "arn:aws:s3:::redis-platform-pro-redis-access-logs-20260101", sourceBucketArn: "arn:aws:s3:::redis-platform-prod-redis-backups-20260101", prefix: "backup-bucket/" }),
        );
        assert.ok(logPolicy.dependencies.includes(byType(run, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", true).urn), "the log bucket's policy waits for its public access block");
        const bucketOut = run.result!;
        assert.equal((await resolveOutput(bucketOut.bucketName)).value, "redis-platform-prod-redis-backups-20260101");
        assert.equal((await resolveOutput(bucketOut.kmsKeyArn)).value, "arn:aws:kms:eu-west-1:111122223333:key/backups-key");
    });

    it("grants ElastiCache export through the ACL, with ACLs enabled, when export is on", async () => {
        const run = await runWithMocks(() => new BackupBucket("backups", { ...args, exportForElastiCache: true, bucketName: "acme-redis-backups", kmsKeyArn: "arn:aws:kms:eu-west-1:111122223333:key/existing" }), { outputs, invokes });
        assert.equal(run.error, undefined);
        assert.equal(ofType(run.resources, "aws:kms/key:Key").length, 0, "an existing key is used as is");
        assert.deepEqual(byType(run, "aws:s3/bucket:Bucket").inputs, { bucket: "acme-redis-backups", forceDestroy: false, tags: { team: "data" } });
        assert.deepEqual(byType(run, "aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs.rule, { objectOwnership: "BucketOwnerPreferred" });
        const acl = byType(run, "aws:s3/bucketAcl:BucketAcl");
        assert.equal(acl.name, "backups-elasticache-export-acl");
        assert.deepEqual(acl.inputs, {
            bucket: "backups-bucket-id",
            accessControlPolicy: {
                owner: { id: "owner-canonical-id" },
                grants: [
                    { grantee: { type: "CanonicalUser", id: "owner-canonical-id" }, permission: "FULL_CONTROL" },
                    { grantee: { type: "CanonicalUser", id: ELASTICACHE_EXPORT_CANONICAL_ID }, permission: "READ" },
                    { grantee: { type: "CanonicalUser", id: ELASTICACHE_EXPORT_CANONICAL_ID }, permission: "WRITE" },
                    { grantee: { type: "CanonicalUser", id: ELASTICACHE_EXPORT_CANONICAL_ID }, permission: "READ_ACP" },
                ],
            },
        });
        for (const type of ["aws:s3/bucketOwnershipControls:BucketOwnershipControls", "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"]) {
            assert.ok(acl.dependencies.includes(byType(run, type).urn), `the ACL waits for ${type}`);
        }
        assert.equal(JSON.parse(byType(run, "aws:s3/bucketPolicy:BucketPolicy").inputs.policy).Statement.length, 1, "no service principal outside opt-in regions");
    });

    it("grants an opt-in region's ElastiCache export service principal in the bucket policy instead", async () => {
        const run = await runWithMocks(() => new BackupBucket("backups", { ...args, exportForElastiCache: true, region: "eu-south-2" }), { outputs, invokes });
        assert.equal(run.error, undefined);
        assert.equal(ofType(run.resources, "aws:s3/bucketAcl:BucketAcl").length, 0);
        assert.deepEqual(byType(run, "aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs.rule, { objectOwnership: "BucketOwnerEnforced" });
        const statements = JSON.parse(byType(run, "aws:s3/bucketPolicy:BucketPolicy").inputs.policy).Statement;
        assert.deepEqual(statements[1].Principal, { Service: "eu-south-2.elasticache-snapshot.amazonaws.com" });
    });

    const invalid: [string, BackupBucketArgs, RegExp][] = [
        ["a bucket name with upper case", { ...args, bucketName: "Acme-Backups" }, /backup bucket name "Acme-Backups": must hold only a-z, 0-9 and '-'/],
        ["archiving after expiry", { ...args, archiveAfterDays: 30 }, /backup archiveAfterDays = 30: must be a whole number of days from 1 to retentionDays - 1 \(29\)/],
        ["export to a partition without a known grantee", { ...args, exportForElastiCache: true, region: "cn-north-1" }, /region "cn-north-1": ElastiCache snapshot export to this partition is not supported here/],
        ["export without a region", { ...args, exportForElastiCache: true, region: undefined }, /exportForElastiCache needs the bucket's region/],
    ];
    for (const [title, bad, message] of invalid) {
        it(`refuses ${title} before registering anything`, async () => {
            const run = await runWithMocks(() => new BackupBucket("bad", bad), { outputs, invokes });
            assert.match(String(run.error), message);
            assert.deepEqual(run.resources, []);
        });
    }
});

describe("backup bucket naming, access and lifecycle", () => {
    it("derives a DNS-compliant prefix of at most 37 characters", () => {
        assert.deepEqual(backupBucketNaming("Redis_Platform", "prod"), { bucketPrefix: "redis-platform-prod-redis-backups-" });
        const long = backupBucketNaming("a-very-long-project-name-for-redis", "production.eu-west-1");
        assert.ok("bucketPrefix" in long);
        assert.ok(long.bucketPrefix.length <= 37, long.bucketPrefix);
        assert.match(long.bucketPrefix, /^[a-z0-9][a-z0-9-]*-redis-backups-$/);
        assert.equal(bucketNameProblem(long.bucketPrefix + "x".repeat(26)), undefined);
    });

    const names: [string, RegExp | undefined][] = [
        ["acme-redis-backups", undefined],
        ["ab", /must be 3 to 63 characters long/],
        ["a".repeat(64), /must be 3 to 63 characters long/],
        ["acme.backups", /must hold only a-z, 0-9 and '-'/],
        ["-acme", /start and end with a letter or digit/],
        ["acme--backups", /must not contain '--'/],
        ["xn-acme", undefined],
        ["sthree-acme", /prefix S3 reserves/],
        ["acme-s3alias", /suffix S3 reserves/],
    ];
    for (const [name, problem] of names) {
        it(`${problem ? "refuses" : "accepts"} the bucket name "${name.length > 20 ? `${name.slice(0, 10)}…` : name}"`, () => {
            const found = bucketNameProblem(name);
            if (problem === undefined) {
                assert.equal(found, undefined);
            } else {
                assert.match(found ?? "", problem);
            }
        });
    }

    it("lets only S3 log delivery write the source bucket's logs into the log bucket, and only over TLS", () => {
        const policy = accessLogBucketPolicy({ logBucketArn: "arn:aws:s3:::logs", sourceBucketArn: "arn:aws:s3:::b", prefix: "b/" }) as { Statement: Record<string, unknown>[] };
        assert.equal(policy.Statement[0].Sid, "DenyInsecureTransport");
        assert.deepEqual(policy.Statement[1], {
            Sid: "S3ServerAccessLogDelivery",
            Effect: "Allow",
            Principal: { Service: "logging.s3.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: "arn:aws:s3:::logs/b/*",
            Condition: { ArnLike: { "aws:SourceArn": "arn:aws:s3:::b" } },
        });
    });

    it("denies every request without TLS", () => {
        assert.deepEqual(backupBucketPolicy({ bucketArn: "arn:aws:s3:::b" }), {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "DenyInsecureTransport",
                    Effect: "Deny",
                    Principal: "*",
                    Action: "s3:*",
                    Resource: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
                    Condition: { Bool: { "aws:SecureTransport": "false" } },
                },
            ],
        });
    });

    it("picks ACL or bucket-policy export access by region", () => {
        assert.equal(elastiCacheExportAccess("us-east-1"), "acl");
        assert.equal(elastiCacheExportAccess("eu-west-1"), "acl");
        assert.equal(elastiCacheExportAccess("ap-southeast-3"), "bucket-policy");
        assert.throws(() => elastiCacheExportAccess("Europe"), /must be an AWS region/);
    });

    it("expires without archiving when archiveAfterDays is not set", () => {
        assert.deepEqual(backupLifecycleRules({ retentionDays: 14 })[0], {
            id: "archive-and-expire-backups",
            status: "Enabled",
            filter: {},
            expiration: { days: 14 },
            noncurrentVersionExpiration: { noncurrentDays: 7 },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
        });
        assert.throws(() => backupLifecycleRules({ retentionDays: 0 }), /retentionDays = 0/);
    });
});
