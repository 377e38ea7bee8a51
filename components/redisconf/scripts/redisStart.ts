import { composeScript, requireEnv, sh } from "./common";

/**
 * Renders the start script of a data node (`redis-start.sh`), the same for every topology and platform; what
 * differs comes from the environment (see `scriptEnvFor`).
 *
 * - Sentinel topology: the node asks every sentinel who the primary is (the answer with the highest config
 *   epoch wins) and follows it, or starts as primary when that is itself. When no sentinel answers within
 *   `REDIS_START_TIMEOUT` seconds, only the designated initial primary (`REDIS_INITIAL_PRIMARY`) may start as
 *   primary; any other node exits non-zero so its supervisor retries, and never becomes a second primary.
 * - Cluster topology: the node starts with the `nodes.conf` on its data volume and rejoins as whatever it was.
 * - Standalone: the node starts as primary.
 *
 * Either way it writes a runtime copy of the rendered config into the data directory (the sentinels rewrite
 * it on failover) with `masterauth` read from the replication password file, then execs `redis-server`.
 */
export function renderRedisStartScript(): string {
    const body = sh`${requireEnv(["REDIS_TOPOLOGY", "REDIS_NODE_NAME", "REDIS_ANNOUNCE_HOST", "REDIS_PORT", "REDIS_CONF_FILE", "REDIS_DATA_DIR", "REDIS_PASSWORD_DIR"])}

self="$REDIS_ANNOUNCE_HOST:$REDIS_PORT"
replicaof=""

if [ "$REDIS_TOPOLOGY" = sentinel ]; then
  ${requireEnv(["REDIS_SENTINELS", "REDIS_MASTER_NAME", "REDIS_INITIAL_PRIMARY"])}
  deadline=$(( $(now) + \${REDIS_START_TIMEOUT:-60} ))
  while :; do
    primary=$(current_primary)
    if [ -n "$primary" ]; then
      log "the sentinels name $primary as primary"
      break
    fi
    if [ "$(now)" -ge "$deadline" ]; then
      if [ "$self" = "$REDIS_INITIAL_PRIMARY" ]; then
        log "no sentinel answered within \${REDIS_START_TIMEOUT:-60}s: starting as the designated initial primary"
        primary=$self
        break
      fi
      die "no sentinel answered within \${REDIS_START_TIMEOUT:-60}s; only $REDIS_INITIAL_PRIMARY may start without them, so this node waits for its next restart"
    fi
    sleep 1
  done
  if [ "$primary" != "$self" ]; then
    replicaof="\${primary%:*} \${primary##*:}"
  fi
fi

mkdir -p "$REDIS_DATA_DIR"
umask 077
runtime="$REDIS_DATA_DIR/redis.runtime.conf"
{
  cat "$REDIS_CONF_FILE"
  printf '\n# Added by redis-start.sh at %s.\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  if [ -r "$REDIS_PASSWORD_DIR/replication" ]; then
    printf 'masterauth "%s"\n' "$(password_of replication)"
  fi
  if [ -n "$replicaof" ]; then
    printf 'replicaof %s\n' "$replicaof"
  fi
} > "$runtime.tmp"
mv "$runtime.tmp" "$runtime"

if [ -n "$replicaof" ]; then log "starting as a replica of $replicaof"; else log "starting ($REDIS_TOPOLOGY)"; fi
exec \${REDIS_SERVER_BIN:-redis-server} "$runtime"
`;
    return composeScript("Start script of a Redis data node: decides whom to follow, then execs redis-server.", body);
}
