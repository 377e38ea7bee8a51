/**
 * The defaults of {@link createRedisClient}, in one place so the docs, the tests and the code agree.
 */

/** Defaults of {@link ClientOptions}. Times in milliseconds. */
export const CLIENT_DEFAULTS = {
    /** How long establishing a connection (TCP, TLS and AUTH) may take. */
    connectTimeoutMs: 10_000,
    /** How long one command may wait for its reply before it fails with "Command timed out". */
    commandTimeoutMs: 5_000,
    /** How many reconnections a queued command survives before it fails, instead of waiting forever. */
    maxRetriesPerRequest: 3,
    /** The first reconnect delay; each further attempt doubles it. */
    reconnectBaseDelayMs: 100,
    /** The longest reconnect delay. */
    reconnectMaxDelayMs: 2_000,
    /** Reconnect attempts in a row before the client gives up and ends (`status` becomes `end`). */
    maxReconnectAttempts: 60,
    /** How long a cluster client waits for `CLUSTER SLOTS` when it refreshes its slot map. */
    slotsRefreshTimeoutMs: 2_000,
    /** MOVED/ASK redirections one cluster command may follow. */
    maxRedirections: 16,
    /** Where reads go. */
    readFrom: "primary",
} as const;
