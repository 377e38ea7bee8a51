import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Arguments of {@link EncryptionKey}. */
export interface EncryptionKeyArgs {
    /** The cache's identifier; the key's alias is `alias/<identifier>`. */
    identifier: string;
    /** Days AWS waits before deleting a scheduled key. @default 30 */
    deletionWindowInDays?: number;
    /** Protects the key from deletion: without it every snapshot it encrypted is lost. @default false */
    protect?: boolean;
}

/**
 * A customer-managed KMS key with yearly automatic rotation, for encryption at rest of a cache and its
 * snapshots, with an alias that names the cache it belongs to.
 */
export class EncryptionKey extends pulumi.ComponentResource {
    /** The key's ARN, for `kmsKeyId` of the cache. */
    public readonly arn: pulumi.Output<string>;

    /**
     * @param name the logical name; children are named after it
     * @param args the identifier, deletion window and protection
     * @param opts resource options
     * @throws Error before registering anything when the deletion window is outside 7 to 30 days
     */
    constructor(name: string, args: EncryptionKeyArgs, opts?: pulumi.ComponentResourceOptions) {
        const deletionWindowInDays = args.deletionWindowInDays ?? 30;
        validateEncryptionKeyArgs(deletionWindowInDays);
        super("redisplatform:elasticache:EncryptionKey", name, {}, opts);

        const key = new aws.kms.Key(
            `${name}-key`,
            { description: `Encryption at rest of ElastiCache ${args.identifier}`, enableKeyRotation: true, deletionWindowInDays },
            { parent: this, protect: args.protect ?? false },
        );
        new aws.kms.Alias(`${name}-alias`, { name: `alias/${args.identifier}`, targetKeyId: key.keyId }, { parent: this });
        this.arn = key.arn;
        this.registerOutputs({ arn: this.arn });
    }
}

/**
 * Checks the deletion window of {@link EncryptionKey}.
 *
 * @throws Error naming the argument, the value and what is allowed
 */
export function validateEncryptionKeyArgs(deletionWindowInDays: number): void {
    if (!Number.isInteger(deletionWindowInDays) || deletionWindowInDays < 7 || deletionWindowInDays > 30) {
        throw new Error(`EncryptionKey: deletionWindowInDays = ${deletionWindowInDays}: must be a whole number of days from 7 to 30`);
    }
}
