import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { accessLogBucketPolicy, backupBucketPolicy, elastiCacheExportAccess, elastiCacheExportAcl, ExportAccess } from "./bucketAccess";
import { accessLogBucketNaming, backupBucketNaming } from "./bucketName";
import { hardenedBucket } from "./hardenedBucket";
import { backupLifecycleRules, LifecycleRule, validateLifecycle } from "./lifecycle";

/** Where in the log bucket the backup bucket's access logs land. */
export const ACCESS_LOG_PREFIX = "backup-bucket/";

/** Days server access logs are kept. */
export const ACCESS_LOG_RETENTION_DAYS = 365;

/** Arguments of {@link BackupBucket}. */
export interface BackupBucketArgs {
    /** The project name, for the generated bucket name. */
    project: string;
    /** The stack name, for the generated bucket name. */
    stack: string;
    /** An exact bucket name (`redis:backup.bucketName`). @default a prefix from project and stack, plus a unique suffix */
    bucketName?: string;
    /** Days a backup is kept (`redis:backup.retentionDays`). */
    retentionDays: number;
    /** Days after which backups move to Glacier (`redis:backup.archiveAfterDays`). @default never */
    archiveAfterDays?: number;
    /** A KMS key to encrypt with. @default a key this component creates, with yearly rotation */
    kmsKeyArn?: pulumi.Input<string>;
    /**
     * Let ElastiCache export snapshots into the bucket: enables bucket ACLs (object ownership "bucket owner
     * preferred") and grants ElastiCache's canonical user, or in opt-in regions its service principal.
     * @default false (ACLs stay disabled: object ownership "bucket owner enforced")
     */
    exportForElastiCache?: boolean;
    /** The bucket's region. @default the provider's (`aws:region`); required when exporting for ElastiCache */
    region?: string;
    /** Protect the bucket and the key from deletion (data-bearing). @default false */
    protect?: boolean;
    /** Tags on every resource that takes them. @default {} */
    tags?: Record<string, string>;
}

/** The resolved, validated decisions of a {@link BackupBucket}, made before anything is registered. */
export interface BackupBucketPlan {
    naming: ReturnType<typeof backupBucketNaming>;
    lifecycleRules: LifecycleRule[];
    /** How ElastiCache export is granted, or `undefined` when export is off. */
    exportAccess: ExportAccess | undefined;
    region: string | undefined;
}

/**
 * Validates the arguments and decides the bucket's name, lifecycle and export access.
 *
 * @throws Error naming the argument, its value and what is allowed
 */
export function planBackupBucket(args: BackupBucketArgs): BackupBucketPlan {
    validateLifecycle({ retentionDays: args.retentionDays, archiveAfterDays: args.archiveAfterDays });
    const naming = backupBucketNaming(args.project, args.stack, args.bucketName);
    const region = args.region ?? aws.config.region;
    let exportAccess: ExportAccess | undefined;
    if (args.exportForElastiCache === true) {
        if (region === undefined) {
            throw new Error("exportForElastiCache needs the bucket's region: pass region or set aws:region");
        }
        exportAccess = elastiCacheExportAccess(region);
    }
    return { naming, lifecycleRules: backupLifecycleRules(args), exportAccess, region };
}

/**
 * An S3 bucket for Redis backups: versioned, encrypted with SSE-KMS (bucket keys on), all public access
 * blocked, every non-TLS request denied, archived to Glacier and expired on schedule, its server access logs
 * delivered to a second, equally locked-down bucket (kept {@link ACCESS_LOG_RETENTION_DAYS} days), and,
 * when asked, open to ElastiCache snapshot export.
 */
export class BackupBucket extends pulumi.ComponentResource {
    /** The bucket's name. */
    public readonly bucketName: pulumi.Output<string>;
    /** The bucket's ARN. */
    public readonly bucketArn: pulumi.Output<string>;
    /** The ARN of the KMS key objects are encrypted with. */
    public readonly kmsKeyArn: pulumi.Output<string>;

    /**
     * @param name the logical name; children are named after it
     * @param args the bucket's settings
     * @param opts resource options
     * @throws Error before registering anything when the arguments are invalid
     */
    constructor(name: string, args: BackupBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        const plan = planBackupBucket(args);
        super("redisplatform:backup:BackupBucket", name, {}, opts);

        const tags = args.tags ?? {};
        const protect = args.protect ?? false;
        const dataOpts = { parent: this, protect };
        const key =
            args.kmsKeyArn === undefined
                ? new aws.kms.Key(
                      `${name}-key`,
                      { description: `Encrypts the Redis backups of ${args.project}/${args.stack}`, enableKeyRotation: true, deletionWindowInDays: 30, tags },
                      dataOpts,
                  )
                : undefined;
        const kmsKeyArn = key ? key.arn : pulumi.output(args.kmsKeyArn!);

        const { bucket, publicAccess, ownership } = hardenedBucket(
            name,
            {
                naming: plan.naming,
                encryption: { kmsKeyArn },
                objectOwnership: plan.exportAccess === "acl" ? "BucketOwnerPreferred" : "BucketOwnerEnforced",
                policy: (arn) =>
                    arn.apply((bucketArn) => JSON.stringify(backupBucketPolicy({ bucketArn, exportServiceRegion: plan.exportAccess === "bucket-policy" ? plan.region : undefined }))),
                lifecycleRules: plan.lifecycleRules,
                protect,
                tags,
            },
            this,
        );

        // Server access logs record who read or deleted which backup. S3 delivers them only to a bucket with
        // S3-managed encryption, and never to the logged bucket itself (that would log its own deliveries).
        const logs = hardenedBucket(
            `${name}-access-logs`,
            {
                naming: accessLogBucketNaming(args.project, args.stack),
                encryption: "AES256",
                objectOwnership: "BucketOwnerEnforced",
                policy: (arn) =>
                    pulumi.all([arn, bucket.arn]).apply(([logBucketArn, sourceBucketArn]) => JSON.stringify(accessLogBucketPolicy({ logBucketArn, sourceBucketArn, prefix: ACCESS_LOG_PREFIX }))),
                lifecycleRules: backupLifecycleRules({ retentionDays: ACCESS_LOG_RETENTION_DAYS }),
                protect,
                tags,
            },
            this,
        );
        new aws.s3.BucketLogging(`${name}-access-logging`, { bucket: bucket.id, targetBucket: logs.bucket.id, targetPrefix: ACCESS_LOG_PREFIX }, { parent: this });

        if (plan.exportAccess === "acl") {
            const owner = aws.s3.getCanonicalUserIdOutput({ parent: this });
            new aws.s3.BucketAcl(
                `${name}-elasticache-export-acl`,
                { bucket: bucket.id, accessControlPolicy: owner.id.apply(elastiCacheExportAcl) },
                // ACLs are refused until ownership allows them.
                { parent: this, dependsOn: [ownership, publicAccess] },
            );
        }

        this.bucketName = bucket.bucket;
        this.bucketArn = bucket.arn;
        this.kmsKeyArn = kmsKeyArn;
        this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn, kmsKeyArn: this.kmsKeyArn });
    }
}
