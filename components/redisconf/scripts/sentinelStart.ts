import { composeScript, requireEnv, sh } from "./common";

/**
 * Renders the start script of a sentinel (`sentinel-start.sh`).
 *
 * A sentinel rewrites its config as it learns the topology (its id, epochs, the current primary, known
 * replicas and sentinels). On restart the script keeps exactly those learned lines and takes everything else
 * from the rendered template, so a timing or user change reaches running sentinels. On first boot it asks the
 * other sentinels for the current primary, and uses the template's initial primary only when none answers:
 * every sentinel of a new deployment therefore starts from the same primary. On that first start it also waits
 * (up to `REDIS_START_TIMEOUT` seconds) until the primary's host name resolves: with `resolve-hostnames yes`
 * a sentinel refuses a `monitor` line it cannot resolve and exits, and on Kubernetes the initial primary's DNS
 * record appears only once its pod exists. `auth-pass` and `sentinel-pass` are added from the sentinel
 * password file.
 */
export function renderSentinelStartScript(): string {
    const body = sh`${requireEnv(["REDIS_NODE_NAME", "REDIS_ANNOUNCE_HOST", "REDIS_PORT", "REDIS_CONF_FILE", "REDIS_DATA_DIR", "REDIS_PASSWORD_DIR", "REDIS_SENTINELS", "REDIS_MASTER_NAME"])}

self="$REDIS_ANNOUNCE_HOST:$REDIS_PORT"
mkdir -p "$REDIS_DATA_DIR"
umask 077
runtime="$REDIS_DATA_DIR/sentinel.conf"
learned="$REDIS_DATA_DIR/sentinel.learned"
primary=""

if [ -f "$runtime" ]; then
  grep -E '^sentinel (myid|current-epoch|config-epoch|leader-epoch|known-replica|known-sentinel|monitor) ' "$runtime" > "$learned" || true
  monitor=$(grep '^sentinel monitor ' "$learned" || true)
  if [ -n "$monitor" ]; then
    # shellcheck disable=SC2086 # "name host port quorum": split into fields
    set -- $monitor
    primary="$4:$5"
    log "restarting with what this sentinel learned: primary $primary"
  fi
else
  : > "$learned"
  primary=$(current_primary "$self")
  if [ -n "$primary" ]; then log "first start: the other sentinels name $primary as primary"; else log "first start: no other sentinel answered, using the initial primary"; fi
  if [ -n "$primary" ]; then
    wait_host=\${primary%:*}
  else
    # shellcheck disable=SC2046 # the monitor line's fields
    set -- $(grep '^sentinel monitor ' "$REDIS_CONF_FILE")
    wait_host=\${4:-}
  fi
  # Only a host name needs resolving: skip IPv6 (holds ':') and IPv4 (digits and dots) addresses.
  case "$wait_host" in
    "" | *:*) wait_host="" ;;
    *[!0-9.]*) ;;
    *) wait_host="" ;;
  esac
  if [ -n "$wait_host" ] && command -v getent >/dev/null 2>&1; then
    deadline=$(( $(now) + \${REDIS_START_TIMEOUT:-60} ))
    until getent hosts "$wait_host" >/dev/null 2>&1; do
      [ "$(now)" -lt "$deadline" ] || die "the primary's host name $wait_host did not resolve within \${REDIS_START_TIMEOUT:-60}s; this sentinel waits for its next restart"
      log "waiting until $wait_host resolves"
      sleep 1
    done
  fi
fi

password=$(password_of sentinel)
{
  while IFS= read -r line; do
    case "$line" in
      "sentinel monitor "*)
        if [ -n "$primary" ]; then
          # shellcheck disable=SC2086 # the line's fields
          set -- $line
          printf 'sentinel monitor %s %s %s %s\n' "$3" "\${primary%:*}" "\${primary##*:}" "$6"
        else
          printf '%s\n' "$line"
        fi
        ;;
      *) printf '%s\n' "$line" ;;
    esac
  done < "$REDIS_CONF_FILE"
  printf '\n# Learned by this sentinel, kept by sentinel-start.sh.\n'
  grep -v '^sentinel monitor ' "$learned" || true
  printf '\n# Added by sentinel-start.sh from the password file.\n'
  printf 'sentinel auth-pass %s "%s"\n' "$REDIS_MASTER_NAME" "$password"
  printf 'sentinel sentinel-pass "%s"\n' "$password"
} > "$runtime.tmp"
mv "$runtime.tmp" "$runtime"
rm -f "$learned"

log "starting sentinel"
exec \${REDIS_SENTINEL_BIN:-redis-sentinel} "$runtime"
`;
    return composeScript("Start script of a sentinel: keeps what it learned, takes the rest from the rendered config.", body);
}
