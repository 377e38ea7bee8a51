import { composeScript, requireEnv, sh } from "./common";

/**
 * Renders the script that forms a new cluster (`cluster-create.sh`), run once as a job after the nodes
 * started. It is idempotent: when the first primary already belongs to a cluster it only waits for health.
 *
 * It assigns each primary its slot range (`REDIS_CLUSTER_PRIMARIES`, `host:port:busport:first-last` each),
 * introduces every node to the first primary, attaches each replica (`REDIS_CLUSTER_REPLICAS`,
 * `host:port:busport:primaryhost:primaryport` each) to its primary, and returns only when every node reports
 * `cluster_state:ok` and every node that is a replica (now, after any failover) has its link to its primary up. A replica that never finished its first
 * sync is never promoted, so a cluster is not usable before that.
 */
export function renderClusterCreateScript(): string {
    const body = sh`${requireEnv(["REDIS_NODE_NAME", "REDIS_PASSWORD_DIR", "REDIS_CLUSTER_PRIMARIES", "REDIS_CLUSTER_REPLICAS"])}

deadline=$(( $(now) + \${REDIS_CLUSTER_CREATE_TIMEOUT:-120} ))
wait_until() {
  while ! eval "$1"; do
    [ "$(now)" -lt "$deadline" ] || die "timed out waiting until: $2"
    sleep 0.2
  done
}

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

cinfo() { rcli admin "$1" "$2" CLUSTER INFO 2>/dev/null | field "$3"; }

all_nodes="$REDIS_CLUSTER_PRIMARIES $REDIS_CLUSTER_REPLICAS"
total=0
for node in $all_nodes; do
  total=$((total + 1))
  split_node "$node"
  wait_until "rcli admin $n_host $n_port PING 2>/dev/null | grep -q PONG" "$n_host:$n_port answers PING"
done

# shellcheck disable=SC2086 # one field per primary address
set -- $REDIS_CLUSTER_PRIMARIES
split_node "$1"
first_host=$n_host; first_port=$n_port

if [ "$(cinfo "$first_host" "$first_port" cluster_known_nodes)" != 1 ] || [ "$(cinfo "$first_host" "$first_port" cluster_slots_assigned)" != 0 ]; then
  log "$first_host:$first_port already belongs to a cluster: only waiting for it to be healthy"
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
    return composeScript("Forms a new Redis Cluster from the rendered nodes, or waits for an existing one to be healthy.", body);
}
