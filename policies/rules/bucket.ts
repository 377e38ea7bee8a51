import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { stackRule } from "./lib/define";
import { ofTypes, pointsAt } from "./lib/relations";
import { S3 } from "./lib/types";
import { at, record, records, show, strings } from "./lib/values";

/** The configuration resources of one type that point at `bucket`. */
function configsOf(resources: readonly PolicyResource[], types: readonly string[], bucket: PolicyResource): PolicyResource[] {
    return ofTypes(resources, types).filter((candidate) => pointsAt(candidate, bucket, "bucket"));
}

/** Calls `check` for every bucket of the stack, with the stack's resources. */
function eachBucket(resources: readonly PolicyResource[], check: (bucket: PolicyResource) => string | undefined, report: (message: string, urn?: string) => void): void {
    for (const bucket of ofTypes(resources, S3.buckets)) {
        const problem = check(bucket);
        if (problem !== undefined) {
            report(`bucket ${bucket.name}: ${problem}`, bucket.urn);
        }
    }
}

/** The buckets that receive another bucket's server access logs (a log bucket does not log itself: that loops). */
export function accessLogTargets(resources: readonly PolicyResource[]): PolicyResource[] {
    const loggings = ofTypes(resources, S3.loggings);
    return ofTypes(resources, S3.buckets).filter(
        (bucket) =>
            loggings.some((logging) => pointsAt(logging, bucket, "targetBucket")) ||
            ofTypes(resources, S3.buckets).some((other) => records(other.props.loggings).some((entry) => entry.targetBucket === bucket.props.bucket && bucket.props.bucket !== undefined)),
    );
}

const PUBLIC_ACCESS_FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

/** Backups hold every key of the database. */
export const bucketPublicAccessBlock = stackRule({
    name: "bucket-public-access-block",
    description: "Every S3 bucket has a public access block with all four settings on.",
    enforcementLevel: "mandatory",
    check: (resources, report) =>
        eachBucket(
            resources,
            (bucket) => {
                const blocks = configsOf(resources, S3.publicAccessBlocks, bucket);
                if (blocks.length === 0) {
                    return "has no BucketPublicAccessBlock: add one with all four settings true";
                }
                const off = PUBLIC_ACCESS_FLAGS.filter((flag) => !blocks.some((block) => block.props[flag] === true));
                return off.length > 0 ? `public access block leaves ${off.join(", ")} off: set them to true` : undefined;
            },
            report,
        ),
});

/** Versioning turns an overwrite or delete of a backup into a recoverable event. */
export const bucketVersioning = stackRule({
    name: "bucket-versioning",
    description: "Every S3 bucket has versioning enabled.",
    enforcementLevel: "mandatory",
    check: (resources, report) =>
        eachBucket(
            resources,
            (bucket) => {
                const statuses = configsOf(resources, S3.versionings, bucket).map((versioning) => at(versioning.props, "versioningConfiguration", "status"));
                if (statuses.includes("Enabled") || at(bucket.props, "versioning", "enabled") === true) {
                    return undefined;
                }
                return statuses.length === 0 ? "has no BucketVersioning: add one with status Enabled" : `versioning status is ${show(statuses[0])}: set it to "Enabled"`;
            },
            report,
        ),
});

function sseAlgorithms(resources: readonly PolicyResource[], bucket: PolicyResource): string[] {
    const fromResources = configsOf(resources, S3.encryptions, bucket).flatMap((config) =>
        records(config.props.rules).map((rule) => at(rule, "applyServerSideEncryptionByDefault", "sseAlgorithm")),
    );
    const inline = records(at(bucket.props, "serverSideEncryptionConfiguration", "rule")).map((rule) => at(rule, "applyServerSideEncryptionByDefault", "sseAlgorithm"));
    return [...fromResources, ...inline].filter((algorithm): algorithm is string => typeof algorithm === "string");
}

/** Backups are encrypted with a key whose policy we control (S3-managed keys only on request). */
export const bucketEncryption = stackRule<{ allowS3ManagedKeys: boolean }>({
    name: "bucket-encryption",
    description: "Every S3 bucket has default server-side encryption with KMS (AES256 only when allowS3ManagedKeys is true, or for a bucket that receives access logs, which S3 requires).",
    enforcementLevel: "mandatory",
    config: { allowS3ManagedKeys: { type: "boolean", default: false, description: "Accept SSE-S3 (AES256) instead of SSE-KMS." } },
    check: (resources, report, config) =>
        eachBucket(
            resources,
            (bucket) => {
                const algorithms = sseAlgorithms(resources, bucket);
                // S3 delivers server access logs only to buckets encrypted with S3-managed keys.
                const logTarget = accessLogTargets(resources).includes(bucket);
                const accepted = config.allowS3ManagedKeys || logTarget ? ["aws:kms", "aws:kms:dsse", "AES256"] : ["aws:kms", "aws:kms:dsse"];
                if (algorithms.some((algorithm) => accepted.includes(algorithm))) {
                    return undefined;
                }
                return algorithms.length === 0
                    ? "has no BucketServerSideEncryptionConfiguration: encrypt by default with aws:kms"
                    : `default encryption is ${show(algorithms[0])}: use ${accepted.map((name) => JSON.stringify(name)).join(" or ")}`;
            },
            report,
        ),
});

/** Whether a policy document denies every request that does not use TLS. */
export function deniesInsecureTransport(policy: unknown): boolean {
    let document: unknown = policy;
    if (typeof policy === "string") {
        try {
            document = JSON.parse(policy);
        } catch {
            return false;
        }
    }
    return records(record(document)?.Statement).some((statement) => {
        const actions = typeof statement.Action === "string" ? [statement.Action] : strings(statement.Action);
        const secure = at(statement, "Condition", "Bool", "aws:SecureTransport");
        return statement.Effect === "Deny" && (secure === false || secure === "false") && actions.some((action) => action === "s3:*" || action === "*");
    });
}

/** Without the deny, a misconfigured client can fetch backups over plain HTTP. */
export const bucketTlsOnly = stackRule({
    name: "bucket-tls-only",
    description: 'Every S3 bucket has a policy denying s3:* when aws:SecureTransport is "false".',
    enforcementLevel: "mandatory",
    check: (resources, report) =>
        eachBucket(
            resources,
            (bucket) => {
                const documents = [...configsOf(resources, S3.policies, bucket).map((policy) => policy.props.policy), bucket.props.policy];
                return documents.some(deniesInsecureTransport)
                    ? undefined
                    : 'has no bucket policy denying s3:* when aws:SecureTransport is "false": add one so backups never travel over plain HTTP';
            },
            report,
        ),
});

/** Backups past their retention cost money and widen what a leak exposes. */
export const bucketLifecycle = stackRule({
    name: "bucket-lifecycle",
    description: "Every S3 bucket has an enabled lifecycle rule that expires objects (and old versions).",
    enforcementLevel: "advisory",
    check: (resources, report) =>
        eachBucket(
            resources,
            (bucket) => {
                const rules = [
                    ...configsOf(resources, S3.lifecycles, bucket).flatMap((config) => records(config.props.rules).filter((rule) => rule.status === "Enabled")),
                    ...records(bucket.props.lifecycleRules).filter((rule) => rule.enabled === true),
                ];
                if (rules.length === 0) {
                    return "has no enabled lifecycle rule: expire backups after their retention";
                }
                return rules.some((rule) => record(rule.expiration) !== undefined) ? undefined : "lifecycle rules never expire objects: add an expiration";
            },
            report,
        ),
});

/** Without access logs nobody can say afterwards who read or deleted a backup. */
export const bucketAccessLogging = stackRule({
    name: "bucket-access-logging",
    description: "Every S3 bucket, except one that receives access logs, delivers server access logs to another bucket.",
    enforcementLevel: "mandatory",
    check: (resources, report) => {
        const targets = accessLogTargets(resources);
        eachBucket(
            resources,
            (bucket) => {
                if (targets.includes(bucket) || records(bucket.props.loggings).length > 0 || record(bucket.props.logging) !== undefined) {
                    return undefined;
                }
                return configsOf(resources, S3.loggings, bucket).length > 0 ? undefined : "has no BucketLogging: deliver its server access logs to a log bucket so reads and deletes of backups are on record";
            },
            report,
        );
    },
});

/** Every bucket rule. */
export const BUCKET_RULES: StackValidationPolicy[] = [bucketPublicAccessBlock, bucketVersioning, bucketEncryption, bucketTlsOnly, bucketLifecycle, bucketAccessLogging];

