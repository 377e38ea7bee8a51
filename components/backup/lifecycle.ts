/**
 * The backup bucket's lifecycle: archive to Glacier after N days, expire after the retention, and keep
 * overwritten or deleted versions only briefly, so versioning guards against mistakes without doubling
 * the retention.
 */

/** Days an overwritten or deleted backup stays recoverable as a noncurrent version. */
export const NONCURRENT_VERSION_DAYS = 7;

/** Days after which an unfinished multipart upload (an interrupted backup) is removed. */
export const ABORT_MULTIPART_DAYS = 1;

/** The lifecycle settings of the bucket, as `redis:backup` gives them. */
export interface LifecycleSettings {
    retentionDays: number;
    /** Days after which backups move to S3 Glacier Flexible Retrieval. @default never */
    archiveAfterDays?: number;
}

/**
 * Checks the lifecycle settings.
 *
 * @throws Error naming the setting, its value and what is allowed
 */
export function validateLifecycle(settings: LifecycleSettings): void {
    if (!Number.isInteger(settings.retentionDays) || settings.retentionDays < 1) {
        throw new Error(`backup retentionDays = ${settings.retentionDays}: must be a whole number of days, at least 1`);
    }
    const archive = settings.archiveAfterDays;
    if (archive !== undefined && (!Number.isInteger(archive) || archive < 1 || archive >= settings.retentionDays)) {
        throw new Error(`backup archiveAfterDays = ${archive}: must be a whole number of days from 1 to retentionDays - 1 (${settings.retentionDays - 1}), or backups expire before they are archived`);
    }
}

/** One rule of `aws.s3.BucketLifecycleConfiguration`, as plain data. */
export interface LifecycleRule {
    id: string;
    status: "Enabled";
    /** Empty: the rule applies to every object. */
    filter: { prefix?: string };
    transitions?: { days: number; storageClass: string }[];
    expiration: { days?: number; expiredObjectDeleteMarker?: boolean };
    noncurrentVersionExpiration?: { noncurrentDays: number };
    abortIncompleteMultipartUpload?: { daysAfterInitiation: number };
}

/** The rules of `aws.s3.BucketLifecycleConfiguration`. */
export function backupLifecycleRules(settings: LifecycleSettings): LifecycleRule[] {
    validateLifecycle(settings);
    return [
        {
            id: "archive-and-expire-backups",
            status: "Enabled",
            filter: {},
            ...(settings.archiveAfterDays !== undefined ? { transitions: [{ days: settings.archiveAfterDays, storageClass: "GLACIER" }] } : {}),
            expiration: { days: settings.retentionDays },
            noncurrentVersionExpiration: { noncurrentDays: NONCURRENT_VERSION_DAYS },
            abortIncompleteMultipartUpload: { daysAfterInitiation: ABORT_MULTIPART_DAYS },
        },
        {
            // Expiring a versioned object leaves a delete marker; once its versions are gone it is clutter.
            id: "remove-expired-delete-markers",
            status: "Enabled",
            filter: {},
            expiration: { expiredObjectDeleteMarker: true },
        },
    ];
}
