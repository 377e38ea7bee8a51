/** A reconnect policy: capped exponential backoff with a bounded number of attempts. */
export interface BackoffPolicy {
    /** The delay before the first attempt, doubled for each further one. */
    baseDelayMs: number;
    /** The longest delay. */
    maxDelayMs: number;
    /** Attempts in a row before giving up; `Infinity` never gives up. */
    maxAttempts: number;
}

/**
 * The delay before reconnect attempt `attempt` (1-based), or `null` once the policy gives up, which is what
 * ioredis's `retryStrategy` and `clusterRetryStrategy` expect.
 */
export function reconnectDelay(attempt: number, policy: BackoffPolicy): number | null {
    if (!Number.isFinite(attempt) || attempt < 1 || attempt > policy.maxAttempts) {
        return null;
    }
    // 2^30 already exceeds any sane cap; clamping the exponent keeps the arithmetic finite.
    const exponential = policy.baseDelayMs * 2 ** Math.min(attempt - 1, 30);
    return Math.min(exponential, policy.maxDelayMs);
}

/**
 * Checks a policy.
 *
 * @throws Error naming the field, the value and what is allowed
 */
export function validateBackoff(policy: BackoffPolicy): void {
    if (!(policy.baseDelayMs > 0) || !Number.isFinite(policy.baseDelayMs)) {
        throw new Error(`reconnect.baseDelayMs = ${policy.baseDelayMs}: must be a positive number of milliseconds`);
    }
    if (!(policy.maxDelayMs >= policy.baseDelayMs) || !Number.isFinite(policy.maxDelayMs)) {
        throw new Error(`reconnect.maxDelayMs = ${policy.maxDelayMs}: must be a number of milliseconds at least baseDelayMs (${policy.baseDelayMs})`);
    }
    if (!(policy.maxAttempts === Infinity || (Number.isInteger(policy.maxAttempts) && policy.maxAttempts >= 0))) {
        throw new Error(`reconnect.maxAttempts = ${policy.maxAttempts}: must be a whole number >= 0 or Infinity`);
    }
}
