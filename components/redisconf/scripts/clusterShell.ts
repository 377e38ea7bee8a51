import { sh } from "./common";

/** The `parse_cluster_nodes` shell function: the one parser of `CLUSTER NODES` of every cluster script. */
export const CLUSTER_NODES_PARSER = sh`# parse_cluster_nodes: reads CLUSTER NODES and prints one line per node: "id host:port role primary-id
# slots gone flags", role master|replica, primary-id "-" for a primary, gone yes when the node failed, has no
# address or is still in a handshake, the host being the announced host name when there is one.
parse_cluster_nodes() {
  tr -d '\r' | awk '
    NF >= 8 {
      split($2, at, "@"); hp = at[1]; port = hp; sub(/.*:/, "", port); host = substr(hp, 1, length(hp) - length(port) - 1)
      if (index(at[2], ",") > 0) { split(at[2], aux, ","); if (aux[2] != "") host = aux[2] }
      role = ($3 ~ /slave/) ? "replica" : "master"
      gone = ($3 ~ /(^|,)fail(,|$)|noaddr|handshake/) ? "yes" : "no"
      slots = 0
      for (i = 9; i <= NF; i++) { if ($i ~ /^\[/) continue; n = split($i, r, "-"); slots += (n == 2) ? r[2] - r[1] + 1 : 1 }
      print $1, host ":" port, role, $4, slots, gone, $3
    }'
}
`;

/**
 * The shell helpers `cluster-create.sh` and `cluster-drain.sh` share. Both read the desired cluster from
 * `REDIS_CLUSTER_PRIMARIES` (`host:port:busport:first-last` each; their count is the number of shards) and
 * `REDIS_CLUSTER_REPLICAS` (`host:port:busport:primaryhost:primaryport` each), and discover the live cluster
 * from `CLUSTER NODES`: the stack config never knows what was deployed before.
 *
 * A node is identified by the address it announces (`host:port`, the hostname `CLUSTER NODES` shows when
 * `cluster-announce-hostname` is set): DNS names on Kubernetes, `127.0.0.1` and its own port on Docker and in
 * the local harness. Roles are not tied to node names: after failovers any node may be a primary, so the
 * scripts count shards (primaries serving slots) rather than expect `redis-0` to be one.
 */
export const CLUSTER_HELPERS = sh`${CLUSTER_NODES_PARSER}
# Each wait gets REDIS_CLUSTER_CREATE_TIMEOUT seconds (slot moves themselves are not bounded: they take as long as the data).
wait_until() {
  _until=$(( $(now) + \${REDIS_CLUSTER_CREATE_TIMEOUT:-120} ))
  while ! eval "$1"; do
    [ "$(now)" -lt "$_until" ] || die "timed out waiting until: $2"
    sleep 0.2
  done
}

cinfo() { rcli admin "$1" "$2" CLUSTER INFO 2>/dev/null | field "$3"; }

# rcluster COMMAND HOST PORT ARGS...: redis-cli --cluster COMMAND HOST:PORT ARGS... as admin, without the
# per-call time limit (a rebalance moves keys for as long as it takes).
rcluster() {
  _command=$1; _chost=$2; _cport=$3; shift 3
  (CLI_TIMEOUT=""; rcli admin "$_chost" "$_cport" --cluster "$_command" "$_chost:$_cport" "$@")
}

# Every node the seed knows, one line each (see CLUSTER_NODES_PARSER).
cluster_nodes() { rcli admin "$1" "$2" CLUSTER NODES | parse_cluster_nodes; }

# slots_of ID|HOST:PORT: how many slots the seed sees the node serve (empty when it does not know it).
slots_of() { cluster_nodes "$seed_host" "$seed_port" | awk -v k="$1" '$1 == k || $2 == k { print $5 }'; }

# The desired nodes' addresses (host:port), in order: the primaries' entries first.
desired=""
for _node in $REDIS_CLUSTER_PRIMARIES $REDIS_CLUSTER_REPLICAS; do
  _r=\${_node#*:}
  desired="$desired \${_node%%:*}:\${_r%%:*}"
done
# shellcheck disable=SC2086 # one field per primary entry
shards=$(set -- $REDIS_CLUSTER_PRIMARIES; echo $#)
# shellcheck disable=SC2086 # one field per address
total=$(set -- $desired; echo $#)

is_desired() { case "$desired " in *" $1 "*) return 0 ;; esac; return 1; }

# find_seed: sets seed_host and seed_port to the first desired node that serves slots in a cluster; fails when none does.
find_seed() {
  for _seed in $desired; do
    _assigned=$(cinfo "\${_seed%:*}" "\${_seed##*:}" cluster_slots_assigned)
    case "$_assigned" in "" | 0 | *[!0-9]*) continue ;; esac
    seed_host=\${_seed%:*}; seed_port=\${_seed##*:}
    return 0
  done
  return 1
}

# The live nodes (as the seed sees them) that are not desired, as "id=host:port", replicas first.
undesired_nodes() {
  cluster_nodes "$seed_host" "$seed_port" | awk -v desired="$desired" '
    BEGIN { n = split(desired, d, " "); for (i = 1; i <= n; i++) want[d[i]] = 1 }
    !($2 in want) { if ($3 == "replica") print $1 "=" $2; else masters = masters " " $1 "=" $2 }
    END { if (masters != "") print substr(masters, 2) }' | tr ' ' '\n'
}

# Whether redis-cli --cluster check finds every node agreeing on the slots, with no slot open. A slot left
# open by an interrupted move (a rebalance stopped half-way) is closed with redis-cli --cluster fix, which
# finishes the move, but only while every slot is covered: fix would give uncovered slots to some node.
agreed() {
  _check=$(rcluster check "$seed_host" "$seed_port" 2>&1) && return 0
  if printf '%s\n' "$_check" | grep -Eq "slots in (migrating|importing) state" && printf '%s\n' "$_check" | grep -q "All 16384 slots covered"; then
    log "a slot move was left open: closing it (redis-cli --cluster fix)"
    rcluster fix "$seed_host" "$seed_port" >&2 || true
  fi
  return 1
}

# Waits until every node agrees on the slot map (see agreed).
wait_agreement() {
  wait_until agreed "every node agrees on the slot map (redis-cli --cluster check $seed_host:$seed_port)"
}

# Waits until every desired node reports cluster_state:ok (a node that just joined cannot take slots before).
wait_all_ok() {
  for _address in $desired; do
    wait_until "[ \"\$(cinfo \${_address%:*} \${_address##*:} cluster_state)\" = ok ]" "$_address reports cluster_state:ok"
  done
}
`;
