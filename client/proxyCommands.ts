/**
 * What works through the Envoy `redis_proxy` in front of a self-hosted cluster (docs/proxy.md), encoded from
 * Envoy's own documentation: the "Supported commands" table of
 * `docs/root/intro/arch_overview/other_protocols/redis.rst` in envoyproxy/envoy (read at commit 019ab93, the
 * main branch after v1.38.0). Envoy answers any other command with `ERR unknown command`; this client refuses
 * it before it is sent, with the reason, so the failure is clear in the application's own stack trace.
 *
 * Not proven here (no Envoy binary on this machine): that the pinned v1.38.0 accepts exactly this list.
 */

/** Every command Envoy's redis_proxy documents as supported (upper case). */
export const ENVOY_SUPPORTED_COMMANDS: ReadonlySet<string> = new Set(
    `AUTH ECHO PING QUIT DEL DISCARD DUMP EXEC EXISTS EXPIRE EXPIREAT KEYS PERSIST PEXPIRE PEXPIREAT PTTL RESTORE SELECT TOUCH TTL TYPE
    UNLINK COPY RENAME RENAMENX SORT SORT_RO SCRIPT FLUSHALL FLUSHDB SLOWLOG CONFIG CLUSTER RANDOMKEY GEOADD GEODIST GEOHASH GEOPOS
    GEORADIUS_RO GEORADIUSBYMEMBER_RO GEOSEARCH GEOSEARCHSTORE GEORADIUS GEORADIUSBYMEMBER HDEL HEXISTS HGET HGETALL HINCRBY
    HINCRBYFLOAT HKEYS HLEN HMGET HMSET HSCAN HSET HSETNX HSTRLEN HVALS HRANDFIELD PFADD PFCOUNT PFMERGE LINDEX LINSERT LLEN LPOP
    LPUSH LPUSHX LRANGE LREM LSET LTRIM LPOS RPOPLPUSH MULTI RPOP RPUSH RPUSHX PUBLISH EVAL EVALSHA SADD SCARD SISMEMBER SMEMBERS SPOP
    SRANDMEMBER SREM SCAN SSCAN SDIFF SDIFFSTORE SINTER SINTERSTORE SMISMEMBER SMOVE SUNION SUNIONSTORE WATCH UNWATCH ZADD ZCARD
    ZCOUNT ZINCRBY ZLEXCOUNT ZRANGE ZRANGEBYLEX ZRANGEBYSCORE ZRANK ZREM ZREMRANGEBYLEX ZREMRANGEBYRANK ZREMRANGEBYSCORE ZREVRANGE
    ZREVRANGEBYLEX ZREVRANGEBYSCORE ZREVRANK ZPOPMIN ZPOPMAX ZSCAN ZSCORE ZDIFF ZDIFFSTORE ZINTER ZINTERSTORE ZMSCORE ZRANDMEMBER
    ZRANGESTORE ZUNION ZUNIONSTORE APPEND BITCOUNT BITFIELD BITPOS DECR DECRBY GET GETBIT GETDEL GETEX GETRANGE GETSET INCR INCRBY
    INCRBYFLOAT INFO INFO.SHARD ROLE MGET MSET PSETEX SET SETBIT SETEX SETNX SETRANGE STRLEN MSETNX SUBSTR XACK XADD XAUTOCLAIM
    XCLAIM XDEL XLEN XPENDING XRANGE XREVRANGE XTRIM BF.ADD BF.CARD BF.EXISTS BF.INFO BF.INSERT BF.LOADCHUNK BF.MADD BF.MEXISTS
    BF.RESERVE BF.SCANDUMP BITOP`.split(/\s+/),
);

/** The only CLUSTER subcommands Envoy documents. */
export const ENVOY_SUPPORTED_CLUSTER_SUBCOMMANDS: ReadonlySet<string> = new Set(["INFO", "SLOTS", "KEYSLOT", "NODES"]);

/** Why whole families of commands are missing from the list, for the error message. */
const FAMILIES: { pattern: RegExp; why: string }[] = [
    { pattern: /^(P|S)?SUBSCRIBE$|^(P|S)?UNSUBSCRIBE$|^SPUBLISH$/, why: "pub/sub subscriptions need a connection to one node; Envoy only forwards PUBLISH" },
    { pattern: /^B(L|R|Z)|^BLMOVE$|^BLMPOP$|^BRPOPLPUSH$|^XREAD(GROUP)?$|^WAIT(AOF)?$/, why: "blocking commands (and XREAD/XREADGROUP) would hold a shared upstream connection" },
    { pattern: /^CLIENT$|^HELLO$|^RESET$|^READONLY$|^READWRITE$|^ASKING$/, why: "connection-level commands act on Envoy's pooled upstream connections, not yours" },
];

/**
 * Why a command cannot go through the Envoy proxy, or `undefined` when Envoy documents it as supported.
 *
 * @param command the command name, any case
 * @param args its arguments (the CLUSTER subcommand is checked)
 */
export function proxyCommandProblem(command: string, args: readonly unknown[] = []): string | undefined {
    const name = command.toUpperCase();
    if (name === "CLUSTER") {
        const sub = String(args[0] ?? "").toUpperCase();
        return ENVOY_SUPPORTED_CLUSTER_SUBCOMMANDS.has(sub) ? undefined : `CLUSTER ${sub} is not supported through the Envoy proxy (only CLUSTER ${[...ENVOY_SUPPORTED_CLUSTER_SUBCOMMANDS].join(", ")})`;
    }
    if (ENVOY_SUPPORTED_COMMANDS.has(name)) {
        return undefined;
    }
    const family = FAMILIES.find((candidate) => candidate.pattern.test(name));
    return `${name} is not supported through the Envoy proxy${family ? `: ${family.why}` : ""}; connect to the cluster directly (the stack's connection output) for it. See docs/proxy.md`;
}
