/**
 * Memory sizes as written in stack config: a whole number followed by `mb` or `gb` as Redis spells them
 * (for example `256mb`, `2gb`), or by `Mi` or `Gi` as Kubernetes quantities do (`512Mi`, `1Gi`). Both mean
 * powers of 1024 (Redis reads `mb` as 1024 * 1024 bytes), so `512Mi` and `512mb` are the same size. Each is
 * converted to mebibytes once, and each platform renders its own unit from that.
 */

/** The pattern every memory size in stack config must match. */
export const MEMORY_SIZE_PATTERN = /^[1-9][0-9]{0,6}(mb|gb|Mi|Gi)$/;

/** What a memory size may look like, for error messages. */
export const MEMORY_SIZE_HELP = "a whole number followed by mb, gb, Mi or Gi, for example 256mb, 2gb, 512Mi or 1Gi";

const MIB = 1024 * 1024;

/**
 * Converts a memory size such as `512mb` to mebibytes.
 *
 * @throws Error when the text does not match {@link MEMORY_SIZE_PATTERN}.
 */
export function memorySizeToMiB(size: string): number {
    const match = MEMORY_SIZE_PATTERN.exec(size);
    if (!match) {
        throw new Error(`"${size}" is not a memory size: use ${MEMORY_SIZE_HELP}`);
    }
    const amount = Number.parseInt(size, 10);
    return match[1] === "gb" || match[1] === "Gi" ? amount * 1024 : amount;
}

/** Converts a memory size to bytes. */
export function memorySizeToBytes(size: string): number {
    return memorySizeToMiB(size) * MIB;
}

/** Formats mebibytes the way `redis.conf` expects (`768mb`); Redis reads `mb` as 1024 * 1024 bytes. */
export function mibToRedisSize(mib: number): string {
    return `${Math.floor(mib)}mb`;
}

/** Formats mebibytes as a Kubernetes quantity (`768Mi`). */
export function mibToKubernetesQuantity(mib: number): string {
    return mib % 1024 === 0 ? `${mib / 1024}Gi` : `${Math.floor(mib)}Mi`;
}
