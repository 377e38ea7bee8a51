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
 *   Before that, every peer's IP in `nodes.conf` is replaced by what its announced host name resolves to now
 *   (`getent hosts`): after a full restart every pod may have a new IP, and a node only dials the IPs it
 *   persisted, so without this the cluster would never re-form without `CLUSTER RESET`. A name that does not
 *   resolve yet keeps its old IP; that peer updates its address when it reaches this node.
 * - Standalone: the node starts as primary.
 *
 * Before anything else touches the data it refuses to start when the data directory's `engine` file names an
 * engine in `REDIS_ENGINE_REFUSES` (the configured engine must not take its data over: a downgrade, Valkey
 * data under Redis, Redis 7.4+ data under Valkey), then records `REDIS_ENGINE` there.
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
    primary=$(current_primary "")
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

# rewrite_cluster_addresses FILE: in nodes.conf lines "<id> <ip>:<port>@<bus>,<hostname>[,...] ...", sets
# each <ip> to what <hostname> resolves to now.
rewrite_cluster_addresses() {
  _conf=$1
  [ -s "$_conf" ] || return 0
  if ! command -v getent >/dev/null 2>&1; then log "getent not found: peer addresses in $_conf left as persisted"; return 0; fi
  _changed=0
  # Slot fields such as [93->-<id>] hold glob characters: no pathname expansion while splitting lines.
  set -f
  while IFS= read -r _line; do
    # shellcheck disable=SC2086 # one field per nodes.conf column (globbing is off above)
    set -- $_line
    case "\${2:-}" in
      *:*@*,?*)
        _addr=\${2%%,*}; _names=\${2#*,}; _host=\${_names%%,*}
        _old=\${_addr%:*}
        # Same address family as before: "getent hosts" alone prefers IPv6 when a name has both.
        case "$_old" in *:*) _db=hosts ;; *) _db=ahostsv4 ;; esac
        _new=$( { getent "$_db" "$_host" 2>/dev/null || getent hosts "$_host" 2>/dev/null || true; } | awk '{ print $1; exit }')
        if [ -n "$_new" ] && [ "$_new" != "$_old" ]; then
          _line="$1 $_new\${_addr#"$_old"},$_names\${_line#"$1 $2"}"
          _changed=$((_changed + 1))
        fi
        ;;
    esac
    printf '%s\n' "$_line"
  done < "$_conf" > "$_conf.tmp"
  set +f
  if [ "$_changed" -gt 0 ]; then
    mv "$_conf.tmp" "$_conf"
    log "$_conf: $_changed peer address(es) updated from the announced host names"
  else
    rm -f "$_conf.tmp"
  fi
}

# The engine that last served this data: one the configured engine must not take over from stops here,
# before redis-server could load (or rewrite) files it may not understand.
engine_marker="$REDIS_DATA_DIR/engine"
if [ -n "\${REDIS_ENGINE:-}" ] && [ -s "$engine_marker" ]; then
  last_engine=$(cat "$engine_marker")
  case " \${REDIS_ENGINE_REFUSES:-} " in
    *" $last_engine "*) die "the data in $REDIS_DATA_DIR was last served by $last_engine: $REDIS_ENGINE must not take it over (a downgrade, or a change the engines do not support); restore a backup instead, see docs/runbooks/engine-upgrade.md" ;;
  esac
fi

mkdir -p "$REDIS_DATA_DIR"
umask 077
if [ -n "\${REDIS_ENGINE:-}" ]; then
  printf '%s\n' "$REDIS_ENGINE" > "$engine_marker"
fi
if [ "$REDIS_TOPOLOGY" = cluster ]; then
  rewrite_cluster_addresses "$REDIS_DATA_DIR/nodes.conf"
fi
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
