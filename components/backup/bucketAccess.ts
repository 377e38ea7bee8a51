/**
 * Who may reach the backup bucket: a policy that refuses every request without TLS, and, when ElastiCache
 * exports snapshots into the bucket, the access ElastiCache's export needs. Pure.
 */

/**
 * The canonical user id ElastiCache exports snapshots as, in the AWS regions that existed before opt-in
 * regions; it needs READ, WRITE and READ_ACP on the bucket through its ACL.
 */
export const ELASTICACHE_EXPORT_CANONICAL_ID = "540804c33a284a299d2547575ce1010f2312ef3da9b3a053c8bc45bf233e4353";

/**
 * Opt-in regions (launched from 2019 on). There ElastiCache exports as the regional service principal
 * `<region>.elasticache-snapshot.amazonaws.com`, granted through the bucket policy instead of the ACL.
 */
export const OPT_IN_REGIONS: readonly string[] = [
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-south-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-west-1",
    "eu-central-2",
    "eu-south-1",
    "eu-south-2",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
];

/** How ElastiCache's snapshot export is let into the bucket in a region. */
export type ExportAccess = "acl" | "bucket-policy";

/**
 * How the bucket grants ElastiCache snapshot export in `region`.
 *
 * @throws Error for a malformed region, or a partition (China, GovCloud) whose export grantee this project
 *   does not know
 */
export function elastiCacheExportAccess(region: string): ExportAccess {
    if (!/^[a-z]{2}(-[a-z]+)+-[0-9]$/.test(region)) {
        throw new Error(`region "${region}": must be an AWS region such as eu-west-1`);
    }
    if (region.startsWith("cn-") || region.startsWith("us-gov-") || region.startsWith("us-iso")) {
        throw new Error(`region "${region}": ElastiCache snapshot export to this partition is not supported here; turn export off`);
    }
    return OPT_IN_REGIONS.includes(region) ? "bucket-policy" : "acl";
}

/** What {@link backupBucketPolicy} needs. */
export interface BucketPolicyInput {
    /** The bucket's ARN (resolved, inside an `apply`). */
    bucketArn: string;
    /** The region whose ElastiCache export service principal is granted; only for {@link ExportAccess} `bucket-policy`. */
    exportServiceRegion?: string;
}

/** The statement that refuses every request to a bucket made without TLS. */
function denyInsecureTransport(bucketArn: string): Record<string, unknown> {
    return {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    };
}

/**
 * The access-log bucket's policy: deny any request without TLS, and let S3's log delivery write the source
 * bucket's logs (and only that bucket's: `aws:SourceArn`) under `prefix`. With object ownership "bucket
 * owner enforced" this grant replaces the log-delivery ACL.
 */
export function accessLogBucketPolicy(input: { logBucketArn: string; sourceBucketArn: string; prefix: string }): Record<string, unknown> {
    return {
        Version: "2012-10-17",
        Statement: [
            denyInsecureTransport(input.logBucketArn),
            {
                Sid: "S3ServerAccessLogDelivery",
                Effect: "Allow",
                Principal: { Service: "logging.s3.amazonaws.com" },
                Action: "s3:PutObject",
                Resource: `${input.logBucketArn}/${input.prefix}*`,
                Condition: { ArnLike: { "aws:SourceArn": input.sourceBucketArn } },
            },
        ],
    };
}

/** The bucket policy: deny any request made without TLS, and grant an opt-in region's ElastiCache export. */
export function backupBucketPolicy(input: BucketPolicyInput): Record<string, unknown> {
    const resources = [input.bucketArn, `${input.bucketArn}/*`];
    const statements: Record<string, unknown>[] = [denyInsecureTransport(input.bucketArn)];
    if (input.exportServiceRegion !== undefined) {
        statements.push({
            Sid: "ElastiCacheSnapshotExport",
            Effect: "Allow",
            Principal: { Service: `${input.exportServiceRegion}.elasticache-snapshot.amazonaws.com` },
            Action: ["s3:PutObject", "s3:GetObject", "s3:ListBucket", "s3:GetBucketAcl", "s3:ListMultipartUploadParts", "s3:ListBucketMultipartUploads"],
            Resource: resources,
        });
    }
    return { Version: "2012-10-17", Statement: statements };
}

/** A bucket ACL as `aws.s3.BucketAcl`'s `accessControlPolicy` takes it. */
export interface AccessControlPolicy {
    owner: { id: string };
    grants: { grantee: { type: "CanonicalUser"; id: string }; permission: "FULL_CONTROL" | "READ" | "WRITE" | "READ_ACP" }[];
}

/**
 * The bucket ACL that lets ElastiCache export snapshots (regions with {@link ExportAccess} `acl`): the owner
 * keeps full control, ElastiCache's canonical user may list, write and read the ACL.
 *
 * @param ownerCanonicalId the bucket owner's canonical user id (`aws.s3.getCanonicalUserId`)
 */
export function elastiCacheExportAcl(ownerCanonicalId: string): AccessControlPolicy {
    const elastiCache = { type: "CanonicalUser" as const, id: ELASTICACHE_EXPORT_CANONICAL_ID };
    return {
        owner: { id: ownerCanonicalId },
        grants: [
            { grantee: { type: "CanonicalUser", id: ownerCanonicalId }, permission: "FULL_CONTROL" },
            { grantee: elastiCache, permission: "READ" },
            { grantee: elastiCache, permission: "WRITE" },
            { grantee: elastiCache, permission: "READ_ACP" },
        ],
    };
}
