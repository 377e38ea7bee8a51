import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { BucketNaming } from "./bucketName";
import type { LifecycleRule } from "./lifecycle";

/** What {@link hardenedBucket} needs for one bucket. */
export interface HardenedBucketArgs {
    naming: BucketNaming;
    /** Default encryption: SSE-KMS with this key, or SSE-S3 (`"AES256"`), which S3 requires of access-log buckets. */
    encryption: { kmsKeyArn: pulumi.Input<string> } | "AES256";
    objectOwnership: "BucketOwnerEnforced" | "BucketOwnerPreferred";
    /** The bucket policy document (JSON), built from the bucket's ARN. */
    policy: (bucketArn: pulumi.Output<string>) => pulumi.Input<string>;
    lifecycleRules: LifecycleRule[];
    protect: boolean;
    tags: Record<string, string>;
}

/**
 * One S3 bucket with everything the policy pack asks of a bucket: all public access blocked, versioning,
 * default encryption, a bucket policy (registered after the public access block, which S3 requires) and a
 * lifecycle. Children are named `<name>-bucket`, `<name>-public-access`, ... and parented to `parent`.
 */
export function hardenedBucket(name: string, args: HardenedBucketArgs, parent: pulumi.Resource) {
    const bucket = new aws.s3.Bucket(`${name}-bucket`, { ...args.naming, forceDestroy: false, tags: args.tags }, { parent, protect: args.protect });
    const child = { parent };
    const publicAccess = new aws.s3.BucketPublicAccessBlock(
        `${name}-public-access`,
        { bucket: bucket.id, blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true },
        child,
    );
    const ownership = new aws.s3.BucketOwnershipControls(`${name}-ownership`, { bucket: bucket.id, rule: { objectOwnership: args.objectOwnership } }, child);
    new aws.s3.BucketVersioning(`${name}-versioning`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, child);
    const encryption = args.encryption;
    new aws.s3.BucketServerSideEncryptionConfiguration(
        `${name}-encryption`,
        {
            bucket: bucket.id,
            rules: [
                encryption === "AES256"
                    ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }
                    : { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: encryption.kmsKeyArn }, bucketKeyEnabled: true },
            ],
        },
        child,
    );
    new aws.s3.BucketPolicy(`${name}-policy`, { bucket: bucket.id, policy: args.policy(bucket.arn) }, { parent, dependsOn: [publicAccess] });
    new aws.s3.BucketLifecycleConfiguration(`${name}-lifecycle`, { bucket: bucket.id, rules: args.lifecycleRules }, child);
    return { bucket, publicAccess, ownership };
}
