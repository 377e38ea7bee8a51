import { composeScript, requireEnv, sh } from "./common";
import { SWITCHOVER_SCRIPT } from "./switchover";

/**
 * Seconds `redis-prestop.sh` waits for a handover at most when `REDIS_PRESTOP_TIMEOUT` is unset. Platforms
 * size their grace period from it (Kubernetes `terminationGracePeriodSeconds`).
 */
export const PRESTOP_TIMEOUT_SECONDS = 30;

/**
 * Renders the preStop script of a data node (`redis-prestop.sh`): before a primary stops, it hands over.
 *
 * - Sentinel topology: when the sentinels name this node as primary, it runs `redis-switchover.sh` (when it
 *   sits beside this script) to its in-sync replica with the highest offset: writes paused, no acknowledged
 *   write lost. Without it, or when it fails while this node is still primary, it pauses writes
 *   (`CLIENT PAUSE WRITE`), waits until the replicas have every write, asks a sentinel to fail over and waits
 *   (up to `REDIS_PRESTOP_TIMEOUT` seconds in all) until they name another node, follows it (`REPLICAOF`),
 *   then lifts the pause.
 * - Cluster topology: when this node is a primary, it asks an online replica to `CLUSTER FAILOVER` and waits
 *   until this node has become a replica.
 *
 * A replica, a standalone node, or a handover that times out exits 0: the stop must go on either way.
 */
export function renderPreStopScript(): string {
    const body = sh`${requireEnv(["REDIS_TOPOLOGY", "REDIS_NODE_NAME", "REDIS_ANNOUNCE_HOST", "REDIS_PORT", "REDIS_PASSWORD_DIR"])}

self="$REDIS_ANNOUNCE_HOST:$REDIS_PORT"
deadline=$(( $(now) + \${REDIS_PRESTOP_TIMEOUT:-${PRESTOP_TIMEOUT_SECONDS}} ))

case "$REDIS_TOPOLOGY" in
  sentinel)
    ${requireEnv(["REDIS_SENTINELS", "REDIS_MASTER_NAME"])}
    if [ "$(current_primary "")" != "$self" ]; then
      log "not the primary: nothing to hand over"
      exit 0
    fi
    # The in-sync replica with the most data takes over through the switchover (writes paused, no
    # acknowledged write lost), when the script sits beside this one.
    switchover="$(dirname "$0")/${SWITCHOVER_SCRIPT}"
    target=$(local_cli INFO replication | tr -d '\r' | sed -n 's/^slave[0-9]*:ip=\([^,]*\),port=\([0-9]*\),state=online,offset=\([0-9]*\).*/\3 \1:\2/p' | sort -rn | head -n 1 | cut -d' ' -f2)
    if [ -n "$target" ] && [ -r "$switchover" ]; then
      if REDIS_SWITCHOVER_TO=$target REDIS_SWITCHOVER_TIMEOUT=$(( (deadline - $(now)) / 3 )) sh "$switchover" >&2; then
        log "handed over to $target"
        exit 0
      fi
      if [ "$(current_primary "")" != "$self" ]; then
        log "the switchover did not finish, but the sentinels name another primary: stopping"
        exit 0
      fi
      log "the switchover to $target failed: asking the sentinels to fail over"
    fi
    # A sentinel failover lets this node take writes until it is demoted; a replica that acknowledged them
    # (WAIT) would then drop them when it follows the promoted node. So writes pause here first and the
    # replicas catch up; once the sentinels name the new primary this node follows it by itself (the
    # sentinels cannot demote it while paused: their link queues behind a paused PUBLISH), and only then does
    # the pause end: paused clients get READONLY and follow the new primary. The pause runs out at the deadline.
    local_cli CLIENT PAUSE "$(( (deadline - $(now)) * 1000 ))" WRITE >/dev/null || log "could not pause writes: handing over without"
    offset=$(local_cli INFO replication | field master_repl_offset)
    caught_up=$(( $(now) + 10 ))
    while [ "$(now)" -lt "$caught_up" ]; do
      # Every replica, since the sentinels may promote any of them (a replication PING may move them past it).
      lagging=$(local_cli INFO replication | tr -d '\r' | sed -n 's/^slave[0-9]*:.*,offset=\([0-9]*\),.*/\1/p' | while read -r acked; do [ "$acked" -ge "$offset" ] || echo "$acked"; done)
      [ -n "$lagging" ] || break
      sleep 0.1
    done
    for sentinel in $REDIS_SENTINELS; do
      reply=$(rcli sentinel "\${sentinel%:*}" "\${sentinel##*:}" SENTINEL FAILOVER "$REDIS_MASTER_NAME" 2>&1 | tr -d '\r') || continue
      log "asked sentinel $sentinel to fail over: $reply"
      [ "$reply" = OK ] && break
    done
    while [ "$(now)" -lt "$deadline" ]; do
      primary=$(current_primary "")
      if [ -n "$primary" ] && [ "$primary" != "$self" ]; then
        log "following $primary: $(local_cli REPLICAOF "\${primary%:*}" "\${primary##*:}" | tr -d '\r')"
        # As the sentinels do when they demote a node: clients reconnect and find the new primary, instead of
        # reading from a replica that is resynchronising.
        local_cli CLIENT KILL TYPE normal >/dev/null || true
        local_cli CLIENT UNPAUSE >/dev/null || true
        log "handed over to $primary"
        exit 0
      fi
      sleep 1
    done
    local_cli CLIENT UNPAUSE >/dev/null || true
    log "the sentinels did not fail over within \${REDIS_PRESTOP_TIMEOUT:-${PRESTOP_TIMEOUT_SECONDS}}s: stopping anyway"
    ;;
  cluster)
    info=$(local_cli INFO replication)
    if [ "$(printf '%s\n' "$info" | field role)" != master ]; then
      log "not a primary: nothing to hand over"
      exit 0
    fi
    replica=$(printf '%s\n' "$info" | tr -d '\r' | sed -n 's/^slave[0-9]*:ip=\([^,]*\),port=\([0-9]*\),state=online.*/\1 \2/p' | head -n 1)
    if [ -z "$replica" ]; then
      log "no online replica to hand over to: stopping anyway"
      exit 0
    fi
    # shellcheck disable=SC2086 # "host port": split into fields
    set -- $replica
    log "asking replica $1:$2 to take over: $(rcli admin "$1" "$2" CLUSTER FAILOVER 2>&1 | tr -d '\r')"
    while [ "$(now)" -lt "$deadline" ]; do
      if [ "$(local_cli INFO replication | field role)" = slave ]; then
        log "handed over to $1:$2"
        exit 0
      fi
      sleep 1
    done
    log "the replica did not take over within \${REDIS_PRESTOP_TIMEOUT:-${PRESTOP_TIMEOUT_SECONDS}}s: stopping anyway"
    ;;
  *)
    log "no handover in topology $REDIS_TOPOLOGY"
    ;;
esac
exit 0
`;
    return composeScript("preStop script of a Redis data node: a primary hands over before it stops.", body);
}
