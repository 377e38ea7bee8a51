import { dataNodeNamed, Topology } from "../topology";
import { CLUSTER_NODES_PARSER } from "./clusterShell";
import { composeScript, requireEnv, sh } from "./common";
import type { ScriptEnv } from "./env";

/** Seconds `redis-switchover.sh` waits for each step at most when `REDIS_SWITCHOVER_TIMEOUT` is unset. */
export const SWITCHOVER_TIMEOUT_SECONDS = 30;

/** The file name of the switchover script among a deployment's rendered scripts. */
export const SWITCHOVER_SCRIPT = "redis-switchover.sh";

/**
 * Renders `redis-switchover.sh`: moves the primary to the node(s) named in `REDIS_SWITCHOVER_TO` without
 * losing an acknowledged write. One script for every caller: `npm run day2 -- switchover` runs it from an
 * operator's machine, the `redis:selfhosted.switchoverTo` key runs it as a Kubernetes Job or a Docker one-shot
 * container, and an engine upgrade runs it before the data nodes roll.
 *
 * A name is a node's announced `host:port`, its host, or its pod name (the first DNS label, or a label ending
 * in `-<name>`, so `redis-1` names `cache-redis-1.cache-headless...`). A name that matches no node, or more
 * than one, stops the script with the list of data nodes.
 *
 * - Sentinel (one name): the other replicas get `replica-priority 0` (their values are put back on exit,
 *   whatever happens), writes on the primary are paused with `CLIENT PAUSE WRITE`, the target must have
 *   caught up with the primary's replication offset, then `SENTINEL FAILOVER` promotes it. Once it reports
 *   `role:master` the old primary is made its replica at once (`REPLICAOF`, what the sentinels would do some
 *   seconds later), and it is unpaused only once the target has the replicas `min-replicas-to-write` asks
 *   for: a write can never be accepted by the old primary after the target
 *   took over, so none acknowledged is lost, and clients paused meanwhile get `READONLY`, reconnect through
 *   the sentinels and find a primary that accepts writes. It returns when every sentinel names the target
 *   (and, within the timeout, the old primary is in sync: only a warning, since during an engine upgrade an
 *   old primary on the older engine cannot load the new one's data until it is upgraded itself).
 * - Cluster (one name per shard to move): writes on the primary are paused (`CLIENT PAUSE WRITE`, 6 s at most
 *   per attempt) until the commands blocked there (a client's `WAIT`) have returned, then `CLUSTER FAILOVER` on each target replica,
 *   the coordinated handover in which the primary pauses its clients until the replica has caught up; it
 *   returns when the target reports `role:master` and its old primary `role:slave`, and lifts the pause.
 *
 * With `REDIS_ENGINES_ALLOWED` (`redis:7.0 redis:7.2 ...`, an engine upgrade's pre-flight) it first stops
 * unless every data node runs one of those engines (`INFO server`), and with `REDIS_ENGINE_TARGET` it moves
 * nothing when every node runs that engine already. With `REDIS_SWITCHOVER_IF_DEPLOYED=yes`
 * no node answering is not an error (a job that also runs on the first `pulumi up`).
 *
 * Prints `switched <old> <new>` or `unchanged <node>` on stdout per name; exits 1 with the reason otherwise.
 */
export function renderSwitchoverScript(): string {
    const body = sh`${requireEnv(["REDIS_TOPOLOGY", "REDIS_PASSWORD_DIR", "REDIS_SWITCHOVER_TO"])}

timeout_s=\${REDIS_SWITCHOVER_TIMEOUT:-${SWITCHOVER_TIMEOUT_SECONDS}}
case "$timeout_s" in "" | *[!0-9]*) die "REDIS_SWITCHOVER_TIMEOUT must be a whole number of seconds, got \"$timeout_s\"" ;; esac

host_of() { printf '%s' "\${1%:*}"; }
port_of() { printf '%s' "\${1##*:}"; }
# at ADDR ARGS...: redis-cli as admin against the data node at host:port ADDR.
at() { _a=$1; shift; rcli admin "$(host_of "$_a")" "$(port_of "$_a")" "$@"; }
info_of() { at "$1" INFO "$2" 2>/dev/null | field "$3"; }

# wait_until CHECK WHAT: runs the shell function CHECK until it succeeds, for timeout_s seconds at most.
wait_until() {
  _until=$(( $(now) + timeout_s ))
  while ! "$1"; do
    [ "$(now)" -lt "$_until" ] || die "timed out after \${timeout_s}s waiting until $2"
    sleep 0.2
  done
}

# matches ADDR NAME: whether NAME names the node at host:port ADDR.
matches() {
  _addr=$1; _name=$2; _host=$(host_of "$1")
  if [ "$_name" = "$_addr" ] || [ "$_name" = "$_host" ]; then return 0; fi
  case "$_host" in *[!0-9.]*) ;; *) return 1 ;; esac
  _label=\${_host%%.*}
  [ "$_name" = "$_label" ] && return 0
  case "$_label" in *-"$_name") return 0 ;; esac
  return 1
}

# resolve NAME ADDR...: prints the one ADDR that NAME names, or stops naming the candidates.
resolve() {
  _wanted=$1; shift
  _found=""
  for _candidate in "$@"; do
    # A sentinel may list a node twice while its view settles.
    [ "$_candidate" != "$_found" ] || continue
    if matches "$_candidate" "$_wanted"; then
      [ -z "$_found" ] || die "\"$_wanted\" names more than one node ($_found and $_candidate): give its host:port"
      _found=$_candidate
    fi
  done
  [ -n "$_found" ] || die "\"$_wanted\" names no data node of this deployment; its data nodes: $*"
  printf '%s' "$_found"
}

# engine_of ADDR: the engine a node runs, as "name:major.minor" (valkey:8.1, redis:7.2).
engine_of() {
  _server=$(at "$1" INFO server 2>/dev/null | tr -d '\r')
  _engine=$(printf '%s\n' "$_server" | sed -n 's/^valkey_version:\([0-9]*\.[0-9]*\).*/valkey:\1/p')
  [ -n "$_engine" ] || _engine=$(printf '%s\n' "$_server" | sed -n 's/^redis_version:\([0-9]*\.[0-9]*\).*/redis:\1/p')
  printf '%s' "$_engine"
}

# check_engines ADDR...: with REDIS_ENGINES_ALLOWED set (an engine upgrade's pre-flight), stops unless every
# node runs one of those engines, before anything moves.
check_engines() {
  [ -n "\${REDIS_ENGINES_ALLOWED:-}" ] || return 0
  for _node in "$@"; do
    _running=$(engine_of "$_node")
    [ -n "$_running" ] || die "cannot read INFO server on $_node"
    case " $REDIS_ENGINES_ALLOWED " in
      *" $_running "*) ;;
      *) die "$_node runs $_running: the configured engine cannot be rolled onto it (it accepts $REDIS_ENGINES_ALLOWED); see docs/runbooks/engine-upgrade.md" ;;
    esac
    [ "$_running" = "\${REDIS_ENGINE_TARGET:-}" ] || _behind="\${_behind:-} $_node"
  done
  log "pre-flight: every data node runs one of $REDIS_ENGINES_ALLOWED"
  if [ -n "\${REDIS_ENGINE_TARGET:-}" ] && [ -z "\${_behind:-}" ]; then
    log "every data node runs $REDIS_ENGINE_TARGET already: no primary needs to move"
    exit 0
  fi
}

# nothing_deployed WHAT: with REDIS_SWITCHOVER_IF_DEPLOYED=yes (a job that also runs on the first
# deployment), no node answering means there is nothing to move yet.
nothing_deployed() {
  if [ "\${REDIS_SWITCHOVER_IF_DEPLOYED:-no}" = yes ]; then
    log "$1: nothing is deployed yet, nothing to move"
    exit 0
  fi
  die "$1"
}

# ---- Sentinel ----

# sentinel_replicas up|all: prints the replicas of $primary one sentinel knows, as "host:port" words: those it
# sees up, or all of them (a replica that just restarted is "disconnected" for a moment, and promotable again
# right after). Only a sentinel that names $primary is asked: one still catching up with a failover lists the
# replicas of the old primary.
sentinel_replicas() {
  for _sentinel in $REDIS_SENTINELS; do
    _named=$(rcli sentinel "$(host_of "$_sentinel")" "$(port_of "$_sentinel")" SENTINEL get-master-addr-by-name "$REDIS_MASTER_NAME" 2>/dev/null | tr -d '\r' | { read -r _h; read -r _p; printf '%s:%s' "$_h" "$_p"; }) || continue
    [ "$_named" = "$primary" ] || continue
    _reply=$(rcli sentinel "$(host_of "$_sentinel")" "$(port_of "$_sentinel")" SENTINEL replicas "$REDIS_MASTER_NAME" 2>/dev/null | tr -d '\r') || continue
    # Fields come as name/value lines: ip, port, then flags.
    printf '%s\n' "$_reply" | awk -v all="$1" '$0 == "ip" { getline; ip = $0; next } $0 == "port" { getline; port = $0; next } $0 == "flags" { getline; if (all == "all" || $0 !~ /s_down|o_down|disconnected/) printf "%s:%s ", ip, port }'
    return 0
  done
  die "no sentinel of $REDIS_SENTINELS that names $primary answered SENTINEL replicas"
}

# Priorities to put back on exit: "host:port=priority" words.
restore=""
paused=""
cleanup() {
  if [ -n "$paused" ]; then
    at "$paused" CLIENT UNPAUSE >/dev/null 2>&1 || log "could not unpause $paused: its pause ends by itself"
  fi
  for _entry in $restore; do
    if at "\${_entry%=*}" CONFIG SET replica-priority "\${_entry##*=}" >/dev/null 2>&1; then
      log "\${_entry%=*}: replica-priority back to \${_entry##*=}"
    else
      log "could not put replica-priority \${_entry##*=} back on \${_entry%=*}: set it by hand"
    fi
  done
}
trap cleanup EXIT
trap 'exit 1' INT TERM

target_caught_up() { [ "$(info_of "$target" replication slave_repl_offset)" -ge "$offset" ] 2>/dev/null; }
target_is_master() { [ "$(info_of "$target" replication role)" = master ]; }
sentinels_agree() {
  for _sentinel in $REDIS_SENTINELS; do
    _named=$(rcli sentinel "$(host_of "$_sentinel")" "$(port_of "$_sentinel")" SENTINEL get-master-addr-by-name "$REDIS_MASTER_NAME" 2>/dev/null | tr -d '\r' | { read -r _h; read -r _p; printf '%s:%s' "$_h" "$_p"; }) || return 1
    [ "$_named" = "$target" ] || return 1
  done
}
old_primary_follows() { [ "$(info_of "$primary" replication master_link_status)" = up ]; }
target_accepts_writes() {
  _good=$(info_of "$target" replication min_slaves_good_slaves)
  [ -n "$_good" ] || return 0
  _need=$(at "$target" CONFIG GET min-replicas-to-write 2>/dev/null | tr -d '\r' | sed -n 2p)
  [ "$_good" -ge "\${_need:-0}" ] 2>/dev/null
}

sentinel_switchover() {
  ${requireEnv(["REDIS_SENTINELS", "REDIS_MASTER_NAME"])}
  primary=$(current_primary "")
  [ -n "$primary" ] || nothing_deployed "no sentinel named a primary for $REDIS_MASTER_NAME"
  replicas=$(sentinel_replicas up) || exit 1
  every_replica=$(sentinel_replicas all) || exit 1
  # Among every replica listed: the old primary of a switchover a moment ago is listed before the sentinels
  # have connected to it (the in-sync check below refuses a target that cannot take over).
  # shellcheck disable=SC2086 # one word per replica address
  target=$(resolve "$1" "$primary" $every_replica) || exit 1
  # shellcheck disable=SC2086 # one word per replica address
  check_engines "$primary" $replicas
  if [ "$target" = "$primary" ]; then
    log "$target is the primary already"
    printf 'unchanged %s\n' "$target"
    return 0
  fi
  if [ "$(info_of "$target" replication role)" != slave ] || [ "$(info_of "$target" replication master_link_status)" != up ]; then
    die "$target is not a replica in sync with $primary (role and master_link_status): it cannot take over"
  fi
  # Every replica the sentinels list, not only those they see up: one that restarted a moment ago is back
  # in their choice within a second, with the priority of its configuration file.
  for replica in $every_replica; do
    priority=$(at "$replica" CONFIG GET replica-priority 2>/dev/null | tr -d '\r' | sed -n 2p)
    case " $replicas " in
      *" $replica "*) ;;
      *)
        if [ -z "$priority" ]; then
          log "$replica does not answer (the sentinels see it down): it cannot be promoted while it is down"
          continue
        fi ;;
    esac
    case "$priority" in "" | *[!0-9]*) die "cannot read replica-priority on $replica" ;; esac
    if [ "$replica" = "$target" ] && [ "$priority" = 0 ]; then
      at "$replica" CONFIG SET replica-priority 100 >/dev/null || die "cannot set replica-priority on $replica"
      restore="$restore $replica=0"
    elif [ "$replica" != "$target" ] && [ "$priority" != 0 ]; then
      at "$replica" CONFIG SET replica-priority 0 >/dev/null || die "cannot set replica-priority on $replica"
      restore="$restore $replica=$priority"
    fi
  done
  log "only $target may be promoted now; pausing writes on $primary"
  at "$primary" CLIENT PAUSE "$(( timeout_s * 3 * 1000 ))" WRITE >/dev/null || die "CLIENT PAUSE on $primary failed"
  paused=$primary
  offset=$(info_of "$primary" replication master_repl_offset)
  wait_until target_caught_up "$target has every write of $primary (offset $offset)"
  # Commands blocked on the old primary (a client's WAIT) fail with UNBLOCKED when it turns replica: give
  # them a moment to return, since replicas acknowledge every second. An application's BLPOP would not.
  drain_until=$(( $(now) + 3 ))
  while [ "$(info_of "$primary" clients blocked_clients)" != 0 ] && [ "$(now)" -lt "$drain_until" ]; do sleep 0.2; done
  asked=""
  for sentinel in $REDIS_SENTINELS; do
    reply=$(rcli sentinel "$(host_of "$sentinel")" "$(port_of "$sentinel")" SENTINEL FAILOVER "$REDIS_MASTER_NAME" 2>&1 | tr -d '\r') || continue
    log "asked sentinel $sentinel to fail over: $reply"
    if [ "$reply" = OK ]; then asked=$sentinel; break; fi
  done
  [ -n "$asked" ] || die "no sentinel accepted SENTINEL FAILOVER"
  wait_until target_is_master "$target reports role:master"
  at "$primary" REPLICAOF "$(host_of "$target")" "$(port_of "$target")" >/dev/null || die "REPLICAOF on $primary failed"
  # Clients unpaused now reconnect to the target: it must accept writes (min-replicas-to-write) by then,
  # with the old primary or the replicas the sentinels move over.
  wait_until target_accepts_writes "$target has the replicas min-replicas-to-write asks for"
  at "$primary" CLIENT UNPAUSE >/dev/null || log "could not unpause $primary: its pause ends by itself"
  paused=""
  log "$primary follows $target; writes resumed"
  wait_until sentinels_agree "every sentinel names $target"
  # An old primary on an older engine than the target cannot load its data (an engine upgrade): it syncs
  # once it runs the new engine, so this is a warning, not a failure.
  _until=$(( $(now) + timeout_s ))
  while ! old_primary_follows && [ "$(now)" -lt "$_until" ]; do sleep 0.2; done
  old_primary_follows || log "warning: $primary is not in sync with $target yet ($(engine_of "$primary") under $(engine_of "$target")): it syncs once it runs an engine that reads the target's data"
  printf 'switched %s %s\n' "$primary" "$target"
}

# ---- Cluster ----

${CLUSTER_NODES_PARSER}
# CLUSTER NODES of the first seed that answers, parsed (parse_cluster_nodes).
cluster_nodes() {
  for _seed in $REDIS_CLUSTER_SEEDS; do
    _reply=$(at "$_seed" CLUSTER NODES 2>/dev/null) || continue
    [ -n "$_reply" ] || continue
    printf '%s\n' "$_reply" | parse_cluster_nodes
    return 0
  done
  nothing_deployed "no seed of $REDIS_CLUSTER_SEEDS answered CLUSTER NODES"
}

cluster_switched() { [ "$(info_of "$target" replication role)" = master ] && [ "$(info_of "$primary" replication role)" = slave ]; }

cluster_switchover() {
  nodes=$(cluster_nodes) || exit 1
  # shellcheck disable=SC2046 # one word per node address
  target=$(resolve "$1" $(printf '%s\n' "$nodes" | awk '$7 !~ /fail|handshake|noaddr/ { print $2 }')) || exit 1
  if [ "$(printf '%s\n' "$nodes" | awk -v t="$target" '$2 == t { print $3 }')" = master ]; then
    log "$target is a primary already"
    printf 'unchanged %s\n' "$target"
    return 0
  fi
  primary=$(printf '%s\n' "$nodes" | awk -v id="$(printf '%s\n' "$nodes" | awk -v t="$target" '$2 == t { print $4 }')" '$1 == id { print $2 }')
  [ -n "$primary" ] || die "cannot find the primary $target replicates"
  [ "$(info_of "$target" replication master_link_status)" = up ] || die "$target is not in sync with $primary: it cannot take over"
  # A manual failover that does not complete within 5 s (a busy node, a lost vote) is dropped by Redis
  # without a word: ask again, up to 3 times, before giving up.
  attempt=1
  while :; do
    # A client's WAIT still blocked on the primary when it turns replica fails with UNBLOCKED: pause writes
    # there first (6 s at most, the handover's own 5 s pause included) and give the blocked commands a moment
    # to return, as for Sentinel. The old primary, a replica by then, answers the paused writes with MOVED.
    at "$primary" CLIENT PAUSE 6000 WRITE >/dev/null || die "CLIENT PAUSE on $primary failed"
    paused=$primary
    drain_until=$(( $(now) + 3 ))
    while [ "$(info_of "$primary" clients blocked_clients)" != 0 ] && [ "$(now)" -lt "$drain_until" ]; do sleep 0.2; done
    reply=$(at "$target" CLUSTER FAILOVER 2>&1 | tr -d '\r')
    [ "$reply" = OK ] || die "CLUSTER FAILOVER on $target: $reply"
    log "asked $target to take over from $primary (CLUSTER FAILOVER: $primary pauses until $target caught up), attempt $attempt"
    _until=$(( $(now) + 10 ))
    while ! cluster_switched && [ "$(now)" -lt "$_until" ]; do sleep 0.2; done
    at "$primary" CLIENT UNPAUSE >/dev/null 2>&1 || log "could not unpause $primary: its pause ends by itself"
    paused=""
    cluster_switched && break
    [ "$attempt" -lt 3 ] || die "$target did not take over from $primary after 3 CLUSTER FAILOVER attempts"
    attempt=$((attempt + 1))
  done
  printf 'switched %s %s\n' "$primary" "$target"
}

case "$REDIS_TOPOLOGY" in
  sentinel)
    # shellcheck disable=SC2086 # one word per name
    set -- $REDIS_SWITCHOVER_TO
    [ "$#" = 1 ] || die "a Sentinel deployment has one primary: REDIS_SWITCHOVER_TO must name one node, got \"$REDIS_SWITCHOVER_TO\""
    sentinel_switchover "$1"
    ;;
  cluster)
    ${requireEnv(["REDIS_CLUSTER_SEEDS"])}
    all_nodes=$(cluster_nodes) || exit 1
    [ -n "$all_nodes" ] || exit 0
    # shellcheck disable=SC2046 # one word per node address
    check_engines $(printf '%s\n' "$all_nodes" | awk '$7 !~ /fail|handshake|noaddr/ { print $2 }')
    for name in $REDIS_SWITCHOVER_TO; do
      cluster_switchover "$name"
    done
    ;;
  *)
    die "no switchover in topology $REDIS_TOPOLOGY: it has a single node"
    ;;
esac
`;
    return composeScript("Switchover script: moves the primary to the named node(s) without losing an acknowledged write.", body);
}

/**
 * The extra environment of `redis-switchover.sh` when the platform runs it (a Kubernetes Job, a Docker
 * one-shot container): the targets by their announced `host:port`, and in a cluster every data node as a
 * seed. It runs with the first data node's environment for the rest (paths, TLS files, sentinels). Pure.
 *
 * @param targets data node names (`redis-1`); in a cluster one per shard to move
 * @throws Error naming the data nodes when a target is none of them, or for a standalone topology
 */
export function switchoverEnvFor(topology: Topology, targets: readonly string[]): ScriptEnv {
    if (topology.kind === "standalone") {
        throw new Error("a standalone topology has no switchover");
    }
    const address = (node: { announceHost: string; port: number }) => `${node.announceHost}:${node.port}`;
    return {
        REDIS_SWITCHOVER_TO: targets.map((name) => address(dataNodeNamed(topology, name))).join(" "),
        ...(topology.kind === "cluster" ? { REDIS_CLUSTER_SEEDS: topology.dataNodes.map(address).join(" ") } : {}),
    };
}
