import { composeScript, requireEnv, sh } from "./common";

/** Seconds `sentinel-reset.sh` waits for one sentinel to settle when `REDIS_SENTINEL_RESET_TIMEOUT` is unset. */
export const SENTINEL_RESET_TIMEOUT_SECONDS = 120;

/**
 * Renders the script that makes the sentinels agree with the deployment's data nodes after their number
 * changed (`sentinel-reset.sh`), run once as a job after the data nodes were updated.
 *
 * Sentinels never forget a replica or a sentinel on their own: after a scale-down they keep listing the
 * removed nodes as down replicas (or counting removed sentinels). The script takes the primary the sentinels name, waiting (up to the timeout) until it is one of
 * `REDIS_DATA_NODES`, the `host:port` of every data node (a primary being removed hands over first, in its
 * preStop on Kubernetes), and never resets while it is not; then the replicas each
 * sentinel should list (every other data node). Then, one sentinel at a time, it leaves a sentinel that
 * already lists exactly those replicas alone, sends `SENTINEL RESET` to one whenever it lists a node outside
 * the deployment or knows more sentinels than `REDIS_SENTINELS`, and waits (up to `REDIS_SENTINEL_RESET_TIMEOUT` seconds per sentinel) until that sentinel
 * names the same primary, sees every other sentinel again and lists exactly the remaining replicas, each
 * flagged `slave` only, before it moves on. Resetting every sentinel at once would leave a moment in which
 * none knows a replica to promote. It is idempotent: a second run finds nothing to reset.
 */
export function renderSentinelResetScript(): string {
    const body = sh`${requireEnv(["REDIS_NODE_NAME", "REDIS_PASSWORD_DIR", "REDIS_SENTINELS", "REDIS_MASTER_NAME", "REDIS_DATA_NODES"])}

timeout_s=\${REDIS_SENTINEL_RESET_TIMEOUT:-${SENTINEL_RESET_TIMEOUT_SECONDS}}

# ask SENTINEL ARGS...: runs ARGS on the sentinel at host:port SENTINEL, carriage returns removed.
ask() { _s=$1; shift; rcli sentinel "\${_s%:*}" "\${_s##*:}" "$@" | tr -d '\r'; }

# master_field SENTINEL NAME: one field of SENTINEL master.
master_field() { ask "$1" SENTINEL master "$REDIS_MASTER_NAME" | sed -n "/^$2\$/{n;p;}"; }

# replicas_of SENTINEL: "host:port flags" of each replica the sentinel lists, sorted.
replicas_of() {
  ask "$1" SENTINEL replicas "$REDIS_MASTER_NAME" | awk '
    NR % 2 == 1 { key = $0; next }
    key == "name" && seen { print ip ":" port " " flags }
    key == "name" { seen = 1 }
    key == "ip" { ip = $0 }
    key == "port" { port = $0 }
    key == "flags" { flags = $0 }
    END { if (seen) print ip ":" port " " flags }' | sort
}

# expected_replicas PRIMARY: "host:port slave" of every data node but PRIMARY, sorted.
expected_replicas() {
  for _node in $REDIS_DATA_NODES; do
    [ "$_node" = "$1" ] || printf '%s slave\n' "$_node"
  done | sort
}

# lists_foreign SENTINEL: whether the sentinel lists a replica that is not one of the data nodes.
lists_foreign() {
  for _address in $(replicas_of "$1" | cut -d' ' -f1); do
    case " $REDIS_DATA_NODES " in *" $_address "*) ;; *) return 0 ;; esac
  done
  return 1
}

sentinel_count=0
for _sentinel in $REDIS_SENTINELS; do sentinel_count=$((sentinel_count + 1)); done

# settled SENTINEL PRIMARY: the sentinel names PRIMARY, sees every other sentinel and lists exactly the expected replicas.
settled() {
  [ "$(master_field "$1" flags)" = master ] || return 1
  [ "$(master_field "$1" ip):$(master_field "$1" port)" = "$2" ] || return 1
  [ "$(master_field "$1" num-other-sentinels)" = $((sentinel_count - 1)) ] || return 1
  [ "$(replicas_of "$1")" = "$(expected_replicas "$2")" ]
}

# A primary outside the data nodes is one being removed: its handover (or, if it stopped without one, the
# sentinels' failover) is still under way. Wait for it, never reset around it.
deadline=$(( $(now) + timeout_s ))
while :; do
  primary=$(current_primary "")
  case " $REDIS_DATA_NODES " in *" $primary "*) [ -n "$primary" ] && break ;; esac
  if [ "$(now)" -ge "$deadline" ]; then
    [ -n "$primary" ] || die "no sentinel of $REDIS_SENTINELS names a primary for $REDIS_MASTER_NAME"
    die "the sentinels name $primary as primary, which is not one of the data nodes ($REDIS_DATA_NODES): hand over first (redis-prestop.sh on it), then run this again"
  fi
  log "waiting until the sentinels name one of the data nodes as primary (now: \${primary:-none})"
  sleep 1
done
log "primary $primary; every sentinel must list exactly: $(expected_replicas "$primary" | cut -d' ' -f1 | tr '\n' ' ')"

resets=0
for sentinel in $REDIS_SENTINELS; do
  if settled "$sentinel" "$primary"; then
    log "$sentinel already agrees: nothing to reset"
    continue
  fi
  deadline=$(( $(now) + timeout_s ))
  reset=no
  until settled "$sentinel" "$primary"; do
    if [ "$(now)" -ge "$deadline" ]; then
      die "$sentinel did not settle within \${timeout_s}s: it lists [$(replicas_of "$sentinel" | tr '\n' ';')] and names $(master_field "$sentinel" ip):$(master_field "$sentinel" port) with $(master_field "$sentinel" num-other-sentinels) other sentinels; expected primary $primary and $((sentinel_count - 1)) other sentinels"
    fi
    # Checked on every round: a primary that just handed over shows up as a replica a moment later.
    # A removed sentinel is never forgotten either: more other sentinels than the deployment has means one.
    others=$(master_field "$sentinel" num-other-sentinels)
    case "$others" in "" | *[!0-9]*) others=0 ;; esac
    if lists_foreign "$sentinel" || [ "$others" -gt $((sentinel_count - 1)) ]; then
      log "$sentinel lists a node outside the deployment: SENTINEL RESET $REDIS_MASTER_NAME -> $(ask "$sentinel" SENTINEL RESET "$REDIS_MASTER_NAME")"
      reset=yes
    else
      log "$sentinel has not settled yet (discovering replicas or sentinels): waiting"
    fi
    sleep 1
  done
  [ "$reset" = no ] || resets=$((resets + 1))
  log "$sentinel names $primary, sees $((sentinel_count - 1)) other sentinels and lists exactly the remaining replicas"
done
log "done: $resets sentinel(s) reset, all $sentinel_count agree on primary $primary and its replicas"
`;
    return composeScript("Makes every sentinel forget data nodes the deployment no longer has, one sentinel at a time.", body);
}
