import { CLUSTER_HELPERS } from "./clusterShell";
import { composeScript, requireEnv, sh } from "./common";

/**
 * Renders `cluster-drain.sh`, the first step of a cluster scale-down, run before the platform removes any
 * node (a Kubernetes Job the StatefulSet waits for, a Docker one-shot container the nodes wait for). Given
 * the DESIRED nodes (the cluster-create environment), it:
 *
 * 1. hands each primary that goes away over to one of its replicas that stays and is in sync
 *    (`CLUSTER FAILOVER`, coordinated: no acknowledged write is lost and no key moves);
 * 2. moves every slot off the primaries that must stop serving slots (those that go away, and those beyond
 *    `shards` among the ones that stay) with `redis-cli --cluster rebalance --cluster-weight <id>=0`;
 * 3. has every other node forget each node that goes away (`CLUSTER FORGET`), replicas first, refusing a
 *    node that still serves a slot. Unlike `redis-cli --cluster del-node` it does not reset the node that
 *    goes away: until the platform stops it, it answers clients with `MOVED` rather than `CLUSTERDOWN`, and
 *    should it come back (its volume is retained) it returns as a node without slots, not as a lone node
 *    claiming slots for the stale keys it holds.
 *
 * It is idempotent, and a no-op on a first deployment (no desired node answers within
 * `REDIS_CLUSTER_DRAIN_WAIT` seconds, 20 by default) and on a scale-up (nothing goes away).
 */
export function renderClusterDrainScript(): string {
    const body = sh`${requireEnv(["REDIS_NODE_NAME", "REDIS_PASSWORD_DIR", "REDIS_CLUSTER_PRIMARIES", "REDIS_CLUSTER_REPLICAS"])}

${CLUSTER_HELPERS}
# A first deployment has no node yet: give the nodes a short while to answer, then there is nothing to drain.
give_up=$(( $(now) + \${REDIS_CLUSTER_DRAIN_WAIT:-20} ))
while ! find_seed; do
  if [ "$(now)" -ge "$give_up" ]; then
    log "no desired node serves slots in a cluster: nothing to drain (a first deployment)"
    exit 0
  fi
  sleep 1
done
log "desired: $shards shards, $total nodes; live cluster seen from $seed_host:$seed_port"
wait_agreement

# 1. A primary that goes away hands over to a replica that stays, when one is in sync: no key has to move.
departing=$(cluster_nodes "$seed_host" "$seed_port" | awk -v desired="$desired" '
  BEGIN { n = split(desired, d, " "); for (i = 1; i <= n; i++) want[d[i]] = 1 }
  $3 == "master" && $5 > 0 && $6 == "no" && !($2 in want) { print $1 "=" $2 }')
for leaving in $departing; do
  id=\${leaving%%=*}; addr=\${leaving#*=}
  heir=""
  for candidate in $(cluster_nodes "$seed_host" "$seed_port" | awk -v p="$id" '$3 == "replica" && $4 == p && $6 == "no" { print $2 }'); do
    is_desired "$candidate" || continue
    if [ "$(rcli admin "\${candidate%:*}" "\${candidate##*:}" INFO replication | field master_link_status)" = up ]; then
      heir=$candidate
      break
    fi
  done
  [ -n "$heir" ] || continue
  log "$addr goes away: its replica $heir takes over its slots (CLUSTER FAILOVER)"
  # A manual failover gives up after 5 s when the other primaries do not vote yet (right after another
  # failover, say): ask again, up to five times.
  promoted=no
  for attempt in 1 2 3 4 5; do
    rcli admin "\${heir%:*}" "\${heir##*:}" CLUSTER FAILOVER >/dev/null || true
    give_up=$(( $(now) + 10 ))
    while [ "$(now)" -lt "$give_up" ]; do
      if [ "$(rcli admin "\${heir%:*}" "\${heir##*:}" INFO replication | field role)" = master ]; then promoted=yes; break 2; fi
      sleep 0.5
    done
    log "attempt $attempt: $heir is not a primary yet"
  done
  [ "$promoted" = yes ] || die "$heir did not take over from $addr: see docs/runbooks/scaling.md"
done

# 2. Primaries that must stop serving slots: those that go away, and the ones beyond $shards among those that stay.
surplus=$(cluster_nodes "$seed_host" "$seed_port" | awk -v desired="$desired" -v shards="$shards" '
  BEGIN { n = split(desired, d, " "); for (i = 1; i <= n; i++) rank[d[i]] = i }
  $3 == "master" && $5 > 0 { if ($2 in rank) kept[rank[$2]] = $1; else print $1 }
  END { k = 0; for (i = 1; i <= n; i++) if (i in kept) { k++; if (k > shards) print kept[i] } }')
if [ -n "$surplus" ]; then
  weights=""
  for id in $surplus; do weights="$weights $id=0"; done
  wait_agreement
  log "moving every slot off$weights (redis-cli --cluster rebalance --cluster-weight)"
  # shellcheck disable=SC2086 # one argument per node=weight pair
  rcluster rebalance "$seed_host" "$seed_port" --cluster-weight $weights
  # The seed learns the last moves by gossip: count once every node agrees.
  wait_agreement
  for id in $surplus; do
    left=$(slots_of "$id")
    [ "\${left:-0}" = 0 ] || die "node $id still serves $left slots after the rebalance: re-run, or see docs/runbooks/scaling.md"
  done
fi

# 3. Nodes that go away leave the cluster, replicas first: every other node forgets them (what del-node does,
# without its CLUSTER RESET of the node that goes away: until the platform stops it, that node keeps
# answering clients with MOVED redirections instead of CLUSTERDOWN, and it comes back, should it ever, as a
# node without slots). A node that still serves slots never leaves: step 2 emptied it, and this checks it.
for leaving in $(undesired_nodes); do
  id=\${leaving%%=*}; addr=\${leaving#*=}
  wait_agreement
  served=$(slots_of "$id")
  [ "\${served:-0}" = 0 ] || die "$addr still serves $served slots: it cannot leave; re-run, or see docs/runbooks/scaling.md"
  keeper=$(cluster_nodes "$seed_host" "$seed_port" | awk -v a="$seed_host:$seed_port" '$2 == a && $3 == "master" { print $1 } $2 == a && $3 == "replica" { print $4 }')
  log "removing $addr ($id) from the cluster: every other node forgets it"
  for peer in $(cluster_nodes "$seed_host" "$seed_port" | awk -v id="$id" '$1 != id && $6 == "no" { print $2 "=" $4 }'); do
    peer_addr=\${peer%=*}
    # A node cannot forget its own primary: it follows the seed's shard first.
    if [ "\${peer#*=}" = "$id" ]; then
      rcli admin "\${peer_addr%:*}" "\${peer_addr##*:}" CLUSTER REPLICATE "$keeper" >/dev/null
    fi
    rcli admin "\${peer_addr%:*}" "\${peer_addr##*:}" CLUSTER FORGET "$id" >/dev/null
  done
done
wait_agreement
log "drained: $(cluster_nodes "$seed_host" "$seed_port" | awk '$3 == "master" && $5 > 0' | wc -l | tr -d ' ') primaries serve every slot, no node outside the desired $total remains"
`;
    return composeScript("Before nodes are removed: moves the slots off the primaries that go away or exceed the shard count, then removes the nodes that go away.", body);
}
