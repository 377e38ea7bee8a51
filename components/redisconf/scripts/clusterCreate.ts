import { CLUSTER_HELPERS } from "./clusterShell";
import { composeScript, requireEnv, sh } from "./common";

/**
 * Renders `cluster-create.sh`, the job that forms the cluster on a first deployment and brings it to the
 * desired nodes on every later one (the second step of a scale-up or scale-down, after `cluster-drain.sh`
 * and once the platform runs the desired nodes). It is idempotent.
 *
 * When no desired node serves slots yet, it forms a new cluster: each primary (`REDIS_CLUSTER_PRIMARIES`,
 * `host:port:busport:first-last` each) gets its slot range, every node meets the first primary, and each
 * replica (`REDIS_CLUSTER_REPLICAS`, `host:port:busport:primaryhost:primaryport` each) attaches to its primary.
 *
 * When the cluster exists, it reconciles instead (the names' initial roles no longer matter, failovers
 * move them): desired nodes the cluster does not know meet it; while fewer primaries than shards serve slots,
 * empty primaries are kept as new shards; every other empty primary becomes a replica of the shard with the
 * fewest, replicas even out across shards, and `redis-cli --cluster rebalance --cluster-use-empty-masters`
 * gives the new shards their share of the slots (keys move with MIGRATE: no acknowledged write is lost). It
 * refuses to go on while a node outside the desired list still serves slots (`cluster-drain.sh` has not run).
 *
 * Either way it returns only when every node reports `cluster_state:ok` and every node that is a replica
 * (now, after any failover) has its link to its primary up: a replica that never finished its first sync
 * is never promoted, so a cluster is not usable before that.
 */
export function renderClusterCreateScript(): string {
    const body = sh`${requireEnv(["REDIS_NODE_NAME", "REDIS_PASSWORD_DIR", "REDIS_CLUSTER_PRIMARIES", "REDIS_CLUSTER_REPLICAS"])}

${CLUSTER_HELPERS}
# CLUSTER MEET takes an IP address: resolve host names.
ip_of() {
  case "$1" in
    *[!0-9.]*)
      if printf '%s' "$1" | grep -q ':'; then printf '%s' "$1"; return; fi
      # shellcheck disable=SC2046 # getent prints "IP NAME...": split it into fields.
      set -- $(getent hosts "$1" || true)
      [ -n "\${1:-}" ] || die "cannot resolve $1"
      printf '%s' "$1" ;;
    *) printf '%s' "$1" ;;
  esac
}

# Splits host:port:bus[:rest] into the variables n_host, n_port, n_bus, n_rest.
split_node() {
  n_host=\${1%%:*}; _r=\${1#*:}
  n_port=\${_r%%:*}; _r=\${_r#*:}
  n_bus=\${_r%%:*}
  case "$_r" in *:*) n_rest=\${_r#*:} ;; *) n_rest="" ;; esac
}


all_nodes="$REDIS_CLUSTER_PRIMARIES $REDIS_CLUSTER_REPLICAS"
for node in $all_nodes; do
  split_node "$node"
  wait_until "rcli admin $n_host $n_port PING 2>/dev/null | grep -q PONG" "$n_host:$n_port answers PING"
done

# bus_of HOST:PORT: the cluster bus port of a desired node.
bus_of() {
  for _entry in $all_nodes; do
    split_node "$_entry"
    [ "$n_host:$n_port" != "$1" ] || { printf '%s' "$n_bus"; return 0; }
  done
  die "$1 is not a desired node"
}

# joined HOST:PORT: the seed knows the node as reachable, and the node knows as many nodes as the seed.
joined() {
  cluster_nodes "$seed_host" "$seed_port" | awk -v a="$1" '$2 == a && $6 == "no" { found = 1 } END { exit !found }' &&
    [ "$(cinfo "\${1%:*}" "\${1##*:}" cluster_known_nodes)" = "$(cinfo "$seed_host" "$seed_port" cluster_known_nodes)" ]
}

# The role changes that bring the live cluster to $shards shards of equal replica counts, one per line:
# "shard ADDR" (an empty primary that takes a share of the slots), "replicate ADDR PRIMARY-ID", or "error WHY".
plan_roles() {
  cluster_nodes "$seed_host" "$seed_port" | awk -v desired="$desired" -v shards="$shards" -v per="$(( (total - shards) / shards ))" '
    BEGIN { n = split(desired, d, " "); for (i = 1; i <= n; i++) rank[d[i]] = i }
    { id[$2] = $1; role[$2] = $3; prim[$2] = $4; slots[$2] = $5; addr[$1] = $2
      if (!($2 in rank) && $3 == "master" && $5 > 0) bad = bad " " $2 }
    END {
      if (bad != "") { print "error nodes outside the desired list still serve slots:" bad; exit }
      np = 0
      for (i = 1; i <= n; i++) { a = d[i]; if (!(a in role)) { print "error " a " has not joined"; exit } if (role[a] == "master" && slots[a] > 0) { P[++np] = a; isP[a] = 1 } }
      if (np > shards) { print "error " np " primaries serve slots, more than the " shards " shards asked for: cluster-drain.sh has not run"; exit }
      for (i = 1; i <= n && np < shards; i++) { a = d[i]; if (role[a] == "master" && slots[a] == 0) { P[++np] = a; isP[a] = 1; print "shard " a } }
      for (i = 1; i <= n; i++) { a = d[i]; cur[a] = (role[a] == "replica" && (prim[a] in addr) && (addr[prim[a]] in isP)) ? addr[prim[a]] : ""; if (cur[a] != "") cnt[cur[a]]++ }
      # Still short of primaries: a spare replica (from the shard with the most) becomes an empty primary.
      while (np < shards) {
        r = ""; for (i = n; i >= 1; i--) { a = d[i]; if (!(a in isP) && cur[a] == "") r = a }
        if (r == "") for (i = n; i >= 1; i--) { a = d[i]; if (cur[a] != "" && (r == "" || cnt[cur[a]] > cnt[cur[r]])) r = a }
        if (r == "") { print "error only " np " of the " shards " shards can have a primary: not enough nodes"; exit }
        if (cur[r] != "") cnt[cur[r]]--
        cur[r] = ""; P[++np] = r; isP[r] = 1; print "promote " r
      }
      for (i = 1; i <= n; i++) {
        a = d[i]; if ((a in isP) || cur[a] != "") continue
        best = P[1]; for (j = 2; j <= np; j++) if (cnt[P[j]] < cnt[best]) best = P[j]
        cur[a] = best; cnt[best]++; print "replicate " a " " id[best]
      }
      for (round = 0; round < n; round++) {
        low = P[1]; high = P[1]
        for (j = 2; j <= np; j++) { if (cnt[P[j]] < cnt[low]) low = P[j]; if (cnt[P[j]] > cnt[high]) high = P[j] }
        if (cnt[low] >= per || cnt[high] <= per) break
        for (i = n; i >= 1; i--) if (cur[d[i]] == high) break
        cur[d[i]] = low; cnt[high]--; cnt[low]++; print "replicate " d[i] " " id[low]
      }
    }'
}

# rejoin_fresh HOST PORT: a desired node the seed does not know, but that knows the seed, was forgotten by the
# cluster (cluster-drain.sh) and came back with its volume: its nodes.conf still holds the identity every other
# node refuses for 60 s after CLUSTER FORGET. It serves no slot (the drain moved them away) and holds only
# stale keys, so it rejoins at once as a new, empty node: flushed and reset to a new identity.
rejoin_fresh() {
  _seen=$(cluster_nodes "$1" "$2")
  printf '%s\n' "$_seen" | awk -v id="$seed_id" '$1 == id { f = 1 } END { exit !f }' || return 0
  _own=$(printf '%s\n' "$_seen" | awk -v id="$(rcli admin "$1" "$2" CLUSTER MYID | tr -d '\r')" '$1 == id { print $5 }')
  [ "\${_own:-0}" = 0 ] || die "$1:$2 claims $_own slots although the cluster forgot it: see docs/runbooks/scaling.md"
  log "$1:$2 comes back with the identity the cluster forgot (a retained nodes.conf): it rejoins as a new, empty node"
  # A primary holding keys refuses CLUSTER RESET; a replica is read-only, and the reset flushes it anyway.
  [ "$(rcli admin "$1" "$2" INFO replication | field role)" = slave ] || rcli admin "$1" "$2" FLUSHALL >/dev/null
  rcli admin "$1" "$2" CLUSTER RESET HARD >/dev/null
}

# Brings a formed cluster to the desired nodes: the missing ones join, empty primaries either take a new
# shard's share of the slots or become replicas, and replicas even out across the shards.
reconcile() {
  log "the cluster exists (seen from $seed_host:$seed_port): bringing it to $shards shards, $total nodes"
  seed_id=$(rcli admin "$seed_host" "$seed_port" CLUSTER MYID | tr -d '\r')
  for node in $all_nodes; do
    split_node "$node"
    if ! cluster_nodes "$seed_host" "$seed_port" | awk -v a="$n_host:$n_port" '$2 == a { found = 1 } END { exit !found }'; then
      rejoin_fresh "$n_host" "$n_port"
      log "$n_host:$n_port joins the cluster"
      rcli admin "$seed_host" "$seed_port" CLUSTER MEET "$(ip_of "$n_host")" "$n_port" "$n_bus" >/dev/null
    fi
  done
  for address in $desired; do
    wait_until "joined $address" "$address has joined the cluster"
  done
  # Roles also change on their own (a primary that lost its last slot follows the node that took it, an
  # orphaned primary attracts a spare replica): plan, act, let the cluster settle, and plan again until nothing is left.
  rounds=0
  while :; do
    wait_agreement
    plan=$(plan_roles)
    [ -n "$plan" ] || break
    case "$plan" in error*) die "\${plan#error }: see docs/runbooks/scaling.md" ;; esac
    rounds=$((rounds + 1))
    [ "$rounds" -le 5 ] || die "the cluster did not settle after 5 rounds of role changes; the last plan was: $plan"
    new_shards=""
    for step in $(printf '%s\n' "$plan" | tr ' ' '|'); do
      step=$(printf '%s' "$step" | tr '|' ' ')
      # shellcheck disable=SC2086 # "verb address [id]"
      set -- $step
      case "$1" in
        shard) new_shards="$new_shards $2"; log "$2 takes a new shard's share of the slots" ;;
        promote)
          # A replica holds only copies: reset, it is an empty primary (FLUSHALL persists the emptiness).
          log "$2, a spare replica, becomes the primary of a new shard"
          rcli admin "\${2%:*}" "\${2##*:}" CLUSTER RESET SOFT >/dev/null
          rcli admin "\${2%:*}" "\${2##*:}" FLUSHALL >/dev/null
          rcli admin "$seed_host" "$seed_port" CLUSTER MEET "$(ip_of "\${2%:*}")" "\${2##*:}" "$(bus_of "$2")" >/dev/null
          wait_until "joined $2" "$2 has joined the cluster again"
          new_shards="$new_shards $2" ;;
        replicate)
          wait_until "rcli admin \${2%:*} \${2##*:} CLUSTER REPLICATE $3 2>&1 | grep -q OK" "$2 replicates $3"
          wait_until "cluster_nodes $seed_host $seed_port | awk -v a=$2 -v p=$3 '\$2 == a && \$4 == p { f = 1 } END { exit !f }'" "$seed_host:$seed_port sees $2 replicate $3"
          log "$2 replicates $3" ;;
      esac
    done
    if [ -n "$new_shards" ]; then
      wait_all_ok
      wait_agreement
      log "moving slots to the new shards (redis-cli --cluster rebalance --cluster-use-empty-masters)"
      rcluster rebalance "$seed_host" "$seed_port" --cluster-use-empty-masters
      # The seed learns the last moves by gossip: count once every node agrees.
      wait_agreement
      for address in $new_shards; do
        served=$(slots_of "$address")
        [ "\${served:-0}" -gt 0 ] || die "$address serves no slot after the rebalance: re-run, or see docs/runbooks/scaling.md"
      done
    fi
    sleep 2
  done
}

# shellcheck disable=SC2086 # one field per primary address
set -- $REDIS_CLUSTER_PRIMARIES
split_node "$1"
first_host=$n_host; first_port=$n_port

if find_seed; then
  reconcile
else
  epoch=1
  for node in $REDIS_CLUSTER_PRIMARIES; do
    split_node "$node"
    rcli admin "$n_host" "$n_port" CLUSTER SET-CONFIG-EPOCH "$epoch" >/dev/null
    rcli admin "$n_host" "$n_port" CLUSTER ADDSLOTSRANGE "\${n_rest%-*}" "\${n_rest#*-}" >/dev/null
    log "$n_host:$n_port serves slots $n_rest"
    epoch=$((epoch + 1))
  done
  for node in $all_nodes; do
    split_node "$node"
    [ "$n_host:$n_port" != "$first_host:$first_port" ] || continue
    rcli admin "$first_host" "$first_port" CLUSTER MEET "$(ip_of "$n_host")" "$n_port" "$n_bus" >/dev/null
  done
  for node in $all_nodes; do
    split_node "$node"
    wait_until "[ \"\$(cinfo $n_host $n_port cluster_known_nodes)\" = $total ]" "$n_host:$n_port knows all $total nodes"
  done
  for node in $REDIS_CLUSTER_REPLICAS; do
    split_node "$node"
    p_host=\${n_rest%:*}; p_port=\${n_rest##*:}
    primary_id=$(rcli admin "$p_host" "$p_port" CLUSTER MYID | tr -d '\r')
    wait_until "rcli admin $n_host $n_port CLUSTER REPLICATE $primary_id 2>&1 | grep -q OK" "$n_host:$n_port replicates $p_host:$p_port"
    log "$n_host:$n_port replicates $p_host:$p_port"
  done
fi

for node in $all_nodes; do
  split_node "$node"
  wait_until "[ \"\$(cinfo $n_host $n_port cluster_state)\" = ok ]" "$n_host:$n_port reports cluster_state:ok"
done
# Replicas by their current role: after failovers they are not the nodes the cluster was created with.
for node in $all_nodes; do
  split_node "$node"
  if [ "$(rcli admin "$n_host" "$n_port" INFO replication | field role)" = slave ]; then
    wait_until "[ \"\$(rcli admin $n_host $n_port INFO replication | field master_link_status)\" = up ]" "$n_host:$n_port is in sync with its primary"
  fi
done
log "cluster ready: $total nodes, every replica in sync"
`;
    return composeScript("Forms a new Redis Cluster from the rendered nodes, or brings an existing one to them: joins new nodes, moves slots to new shards.", body);
}
