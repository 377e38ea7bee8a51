/**
 * S3 bucket names for backups. A name the stack sets is checked against S3's rules; otherwise a
 * DNS-compliant prefix is derived from the project and stack and the provider appends a unique suffix
 * (bucket names are global across all AWS accounts).
 */

/** The longest prefix the AWS provider accepts for `bucketPrefix` (it appends a 26-character suffix). */
export const MAX_BUCKET_PREFIX_LENGTH = 37;

/** Either an exact bucket name or a prefix for a generated one. */
export type BucketNaming = { bucket: string } | { bucketPrefix: string };

/**
 * Why `name` is not a valid bucket name for backups, or `undefined` when it is. Dots are refused too:
 * virtual-hosted TLS endpoints do not cover dotted names.
 */
export function bucketNameProblem(name: string): string | undefined {
    if (name.length < 3 || name.length > 63) {
        return `must be 3 to 63 characters long, not ${name.length}`;
    }
    if (!/^[a-z0-9][a-z0-9-]*[a-z0-9]$/.test(name)) {
        return "must hold only a-z, 0-9 and '-', and start and end with a letter or digit";
    }
    if (name.includes("--")) {
        return "must not contain '--' (reserved by S3 for access point and Object Lambda aliases)";
    }
    if (name.startsWith("xn--") || name.startsWith("sthree-") || name.startsWith("amzn-s3-demo-")) {
        return "must not start with a prefix S3 reserves (xn--, sthree-, amzn-s3-demo-)";
    }
    if (name.endsWith("-s3alias") || name.endsWith("--ol-s3") || name.endsWith("--x-s3") || name.endsWith("--table-s3")) {
        return "must not end with a suffix S3 reserves (-s3alias, --ol-s3, --x-s3, --table-s3)";
    }
    return undefined;
}

/** Lower-cases `text` and turns every run of characters S3 refuses into a single '-'. */
function sanitize(text: string): string {
    return text
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-+|-+$/g, "");
}

/**
 * The backup bucket's naming: the configured name when there is one (checked), else a prefix such as
 * `myproject-prod-redis-backups-` cut to {@link MAX_BUCKET_PREFIX_LENGTH} characters.
 *
 * @throws Error naming the configured name and the rule it breaks
 */
export function backupBucketNaming(project: string, stack: string, configured?: string): BucketNaming {
    if (configured !== undefined) {
        const problem = bucketNameProblem(configured);
        if (problem !== undefined) {
            throw new Error(`backup bucket name "${configured}": ${problem}`);
        }
        return { bucket: configured };
    }
    return { bucketPrefix: generatedPrefix(project, stack, "-redis-backups") };
}

function generatedPrefix(project: string, stack: string, suffix: string): string {
    const base = sanitize(`${project}-${stack}`).replace(/-{2,}/g, "-") || "redis";
    const head = base.slice(0, MAX_BUCKET_PREFIX_LENGTH - suffix.length - 1).replace(/-+$/, "");
    return `${head || "redis"}${suffix}-`;
}

/** The generated name prefix of the bucket that receives the backup bucket's server access logs. */
export function accessLogBucketNaming(project: string, stack: string): { bucketPrefix: string } {
    return { bucketPrefix: generatedPrefix(project, stack, "-redis-access-logs") };
}
