import { engineHas, EngineName } from "../engines";
import type { NodePaths } from "../layout";
import { composeScript, requireEnv, sh } from "./common";
import type { ScriptEnv } from "./env";

/**
 * The live-reload sidecar (`redis-reload.sh`): a loop beside each data node and sentinel that watches the
 * mounted ACL, password and TLS files and applies every change to the running process, so a password or
 * certificate rotation never restarts Redis.
 */

/** How a data node applies a changed ACL file. */
export type AclApplyMethod = "load" | "setuser";

/**
 * How an engine applies a changed ACL file without failing a client.
 *
 * Before Redis 7.2 (redis/redis#12171), `ACL LOAD` disconnects every client authenticated as any user,
 * replication links included; `ACL SETUSER` changes a user in place and disconnects nobody. From 7.2 (and in
 * every Valkey) `ACL LOAD` only drops clients of deleted users, and it validates the whole file before it
 * changes anything, so it is preferred there.
 */
export function aclApplyMethodFor(engine: { name: EngineName; version: string }): AclApplyMethod {
    return engineHas(engine, "aclLoadKeepsClients") ? "load" : "setuser";
}

/**
 * What a sentinel's sidecar does when its TLS files change. Sentinels cannot reload TLS at runtime (no
 * `CONFIG SET`), so either the sidecar only logs it and the platform rolls the sentinels, or it shuts its
 * sentinel down once every other sentinel answers, and the container's restart policy brings it back with
 * what it learned.
 */
export type SentinelTlsAction = "log" | "restart";

/** Seconds between two looks at the files. @default 5 */
export const RELOAD_INTERVAL_SECONDS = 5;

/** What the sidecar environment of one node is built from. */
export interface ReloadEnvInput {
    /** The node the sidecar serves. */
    node: { kind: "redis" | "sentinel" };
    /** The files the node uses; the sidecar mounts the same ones at the same paths. */
    paths: NodePaths;
    /** The engine the node runs, which decides how the ACL file is applied. */
    engine: { name: EngineName; version: string };
    tls: { enabled: boolean };
    /** Seconds between two looks at the files. @default 5 */
    intervalSeconds?: number;
    /** What a sentinel's sidecar does on a TLS change. @default "log" */
    sentinelTls?: SentinelTlsAction;
    /**
     * With `sentinelTls: "restart"`, seconds between the restarts of two sentinels: sentinel N restarts N times
     * this long after the change, and only while every other sentinel answers. @default 30
     */
    sentinelStaggerSeconds?: number;
}

/**
 * The environment the sidecar needs on top of the node's own script environment (`scriptEnvFor`): the
 * platform runs `redis-reload.sh` with both merged.
 *
 * @throws Error when the interval is not a whole number of seconds from 1
 */
export function reloadEnvFor(input: ReloadEnvInput): ScriptEnv {
    const interval = input.intervalSeconds ?? RELOAD_INTERVAL_SECONDS;
    if (!Number.isInteger(interval) || interval < 1) {
        throw new Error(`reload intervalSeconds = ${interval}: must be a whole number of seconds from 1`);
    }
    const env: ScriptEnv = {
        REDIS_RELOAD_KIND: input.node.kind,
        REDIS_RELOAD_USER: input.node.kind === "redis" ? "admin" : "sentinel",
        REDIS_RELOAD_INTERVAL: String(interval),
    };
    if (input.node.kind === "redis") {
        env.REDIS_ACL_FILE = input.paths.aclFile;
        env.REDIS_ACL_APPLY = aclApplyMethodFor(input.engine);
    } else {
        env.REDIS_RELOAD_SENTINEL_TLS = input.sentinelTls ?? "log";
        if (env.REDIS_RELOAD_SENTINEL_TLS === "restart") {
            env.REDIS_RELOAD_SENTINEL_STAGGER = String(input.sentinelStaggerSeconds ?? 30);
        }
    }
    if (input.tls.enabled) {
        env.REDIS_TLS_CERT_FILE = input.paths.tls.certFile;
        env.REDIS_TLS_KEY_FILE = input.paths.tls.keyFile;
    }
    return env;
}

/**
 * Renders `redis-reload.sh`. Every `REDIS_RELOAD_INTERVAL` seconds it checksums the files it watches; a
 * change that has held for one interval (so a certificate is never applied without its new key) is applied:
 *
 * - data node, ACL file: `ACL LOAD`, or one `ACL SETUSER` per user (and `ACL DELUSER` for users the file no
 *   longer names) where `ACL LOAD` would disconnect clients (see {@link aclApplyMethodFor});
 * - data node, TLS files: one `CONFIG SET tls-cert-file tls-key-file tls-ca-cert-file`, which makes Redis
 *   build a new TLS context; connected clients keep their sessions. A CA bundle holding the old and the new
 *   CA trusts both during a CA rollover;
 * - data node, replication password: `CONFIG SET masterauth` once the primary accepts the new password;
 * - sentinel, the `user` lines of its config: `ACL SETUSER` per user;
 * - sentinel, sentinel password: `SENTINEL SET auth-pass` and `SENTINEL CONFIG SET sentinel-pass` once the
 *   primary and every other sentinel accept it;
 * - sentinel, TLS files: see {@link SentinelTlsAction}.
 *
 * Everything is applied once at start too, so a sidecar that restarts mid-rotation converges. Commands go to
 * `redis-cli` on stdin, so no password or hash is ever on a command line; logs say what was applied, never
 * a secret (error replies are redacted). It logs in as `admin` on data nodes and as `sentinel` on sentinels
 * (`REDIS_RELOAD_USER`; both hold `+@all` there). A password or TLS file that the node does not accept yet (a
 * new password whose ACL change is still to be applied) is bridged by the last credentials that worked, kept
 * in a private temp directory.
 */
export function renderReloadScript(): string {
    const body = sh`${requireEnv(["REDIS_NODE_NAME", "REDIS_PORT", "REDIS_PASSWORD_DIR", "REDIS_RELOAD_KIND"])}

interval=\${REDIS_RELOAD_INTERVAL:-5}
case "$interval" in "" | *[!0-9]* | 0) die "REDIS_RELOAD_INTERVAL must be a whole number of seconds from 1, got '$interval'" ;; esac
case "$REDIS_RELOAD_KIND" in
  redis)
    ${requireEnv(["REDIS_ACL_FILE"])}
    case "\${REDIS_ACL_APPLY:-load}" in load | setuser) ;; *) die "REDIS_ACL_APPLY must be load or setuser, got '$REDIS_ACL_APPLY'" ;; esac ;;
  sentinel)
    ${requireEnv(["REDIS_CONF_FILE", "REDIS_MASTER_NAME", "REDIS_SENTINELS", "REDIS_ANNOUNCE_HOST"])} ;;
  *) die "REDIS_RELOAD_KIND must be redis or sentinel, got '$REDIS_RELOAD_KIND'" ;;
esac
tls=\${REDIS_TLS:-yes}
if [ "$tls" = yes ]; then
  ${requireEnv(["REDIS_TLS_CERT_FILE", "REDIS_TLS_KEY_FILE", "REDIS_TLS_CA_FILE", "REDIS_TLS_CLIENT_CERT_FILE", "REDIS_TLS_CLIENT_KEY_FILE"])}
fi

# The user this sidecar logs in as: admin on data nodes, sentinel on sentinels (whose pods hold no admin password).
user=\${REDIS_RELOAD_USER:-admin}
# node_cli: runs the commands on stdin against this node.
node_cli() { rcli "$user" 127.0.0.1 "\${REDIS_LOCAL_PORT:-$REDIS_PORT}"; }

umask 077
# The last credentials this node accepted (password, CA, client certificate): private to this process.
good=$(mktemp -d "\${TMPDIR:-/tmp}/redis-reload.XXXXXX")
trap 'rm -rf "$good"' EXIT
trap 'exit 0' TERM INT

# redact: hides password hashes and plain passwords in a Redis error reply before it is logged.
redact() { tr -d '\r' | sed -n -e 's/#[0-9a-fA-F]\{64\}/#<hash>/g' -e 's/>[^ ]*/><password>/g' -e '1p'; }

# failed_connection REPLIES: whether redis-cli could not connect or log in (as opposed to a command error).
failed_connection() {
  case "$1" in
    *"Could not connect"* | *WRONGPASS* | *NOAUTH* | *"AUTH failed"* | *SSL* | *"Connection reset"* | *"cannot read the password"*) return 0 ;;
  esac
  return 1
}

# with_good_credentials CMD...: runs CMD with the last credentials this node accepted.
with_good_credentials() {
  (
    REDIS_PASSWORD_DIR=$good
    if [ "$tls" = yes ]; then
      REDIS_TLS_CA_FILE=$good/ca.crt; REDIS_TLS_CLIENT_CERT_FILE=$good/client.crt; REDIS_TLS_CLIENT_KEY_FILE=$good/client.key
    fi
    "$@"
  )
}

# remember_good_credentials: when the mounted credentials work, keeps a copy to bridge the next rotation.
remember_good_credentials() {
  [ "$(printf 'PING\n' | node_cli 2>&1 | tr -d '\r')" = PONG ] || return 0
  cp "$REDIS_PASSWORD_DIR/$user" "$good/$user.tmp" && mv "$good/$user.tmp" "$good/$user"
  if [ "$tls" = yes ]; then
    for pair in "$REDIS_TLS_CA_FILE:ca.crt" "$REDIS_TLS_CLIENT_CERT_FILE:client.crt" "$REDIS_TLS_CLIENT_KEY_FILE:client.key"; do
      cp "\${pair%:*}" "$good/\${pair##*:}.tmp" && mv "$good/\${pair##*:}.tmp" "$good/\${pair##*:}"
    done
  fi
}

# node_run COMMANDS: sends COMMANDS (one per line) to this node on redis-cli's stdin and prints the
# replies. When the mounted credentials are refused (a new password or CA the node learns only from the
# change this loop is about to apply), the last credentials that worked are used.
node_run() {
  _replies=$(printf '%s\n' "$1" | node_cli 2>&1) || true
  if failed_connection "$_replies" && [ -r "$good/$user" ]; then
    _replies=$(printf '%s\n' "$1" | with_good_credentials node_cli 2>&1) || true
  fi
  printf '%s\n' "$_replies" | tr -d '\r'
}

# checksum FILE...: one checksum of the files' contents, or "missing" while one cannot be read.
checksum() {
  for _file in "$@"; do [ -r "$_file" ] || { printf missing; return 0; }; done
  cat "$@" | cksum | tr ' ' '-'
}

# ready NAME SUM: whether SUM is not applied yet and has held since the previous look.
ready() {
  _applied=none; _seen=none
  eval '_applied=\${applied_'"$1"':-none}; _seen=\${seen_'"$1"':-none}'
  eval "seen_$1=\$2"
  [ "$2" != missing ] && [ "$2" != "$_applied" ] && [ "$2" = "$_seen" ]
}

# step NAME SUM APPLY: runs APPLY when SUM is ready; APPLY sets why= when it fails, and the loop retries.
# A failure is logged when its reason changes, not at every look.
step() {
  ready "$1" "$2" || return 0
  why=""
  if "$3"; then
    eval "applied_$1=\$2; last_error_$1="
  else
    _last=""
    eval '_last=\${last_error_'"$1"':-}'
    [ "$why" = "$_last" ] || log "$1: $why (retrying every \${interval}s)"
    eval "last_error_$1=\$why"
  fi
}

# set_users FILE: applies every "user" line of FILE with ACL SETUSER, then deletes the users FILE does not
# name, which is what ACL LOAD does, without disconnecting the clients of users that stay.
set_users() {
  _commands=$(sed -n 's/^user \([^ ]*\) /ACL SETUSER \1 /p' "$1")
  _wanted=$(sed -n 's/^user \([^ ]*\) .*/\1/p' "$1")
  _count=$(printf '%s\n' "$_wanted" | grep -c .) || true
  [ "$_count" -gt 0 ] || { why="$1 names no user"; return 1; }
  _replies=$(node_run "$_commands")
  _bad=$(printf '%s\n' "$_replies" | grep -v '^OK$' | redact)
  if [ -n "$_bad" ] || [ "$(printf '%s\n' "$_replies" | grep -c '^OK$')" != "$_count" ]; then
    why="ACL SETUSER failed: \${_bad:-no reply}"; return 1
  fi
  _users=$(node_run "ACL USERS")
  for _user in $_wanted; do
    printf '%s\n' "$_users" | grep -qx "$_user" || { why="ACL USERS did not list $_user after ACL SETUSER"; return 1; }
  done
  removed=0
  for _user in $_users; do
    [ "$_user" != default ] || continue
    printf '%s\n' "$_wanted" | grep -qx "$_user" && continue
    [ "$(node_run "ACL DELUSER $_user")" = 1 ] || { why="ACL DELUSER $_user failed"; return 1; }
    removed=$((removed + 1))
  done
  applied_users=$_count
}

apply_acl() {
  if grep -v -e '^user [^ ]* ' -e '^#' -e '^[[:space:]]*$' "$REDIS_ACL_FILE" >/dev/null; then
    why="$REDIS_ACL_FILE holds a line that is not a user rule: not applied"; return 1
  fi
  if [ "\${REDIS_ACL_APPLY:-load}" = load ]; then
    _reply=$(node_run "ACL LOAD")
    [ "$_reply" = OK ] || { why="ACL LOAD failed: $(printf '%s\n' "$_reply" | redact)"; return 1; }
    log "applied $REDIS_ACL_FILE with ACL LOAD ($(grep -c '^user ' "$REDIS_ACL_FILE") users)"
  else
    set_users "$REDIS_ACL_FILE" || return 1
    log "applied $REDIS_ACL_FILE with ACL SETUSER ($applied_users users, $removed removed)"
  fi
}

ca_count() { grep -c 'BEGIN CERTIFICATE' "$REDIS_TLS_CA_FILE" || true; }

apply_tls() {
  _reply=$(node_run "CONFIG SET tls-cert-file $REDIS_TLS_CERT_FILE tls-key-file $REDIS_TLS_KEY_FILE tls-ca-cert-file $REDIS_TLS_CA_FILE")
  [ "$_reply" = OK ] || { why="CONFIG SET of the TLS files failed: $(printf '%s\n' "$_reply" | redact)"; return 1; }
  log "reloaded the TLS certificate, key and CA file (CA file: $(ca_count) certificates) with CONFIG SET"
}

# masterauth follows the replication password file, but only once the primary accepts the new password:
# a replica that switched early could not reconnect after a broken link.
apply_masterauth() {
  _info=$(node_run "INFO replication")
  if [ "$(printf '%s\n' "$_info" | field role)" = slave ]; then
    _host=$(printf '%s\n' "$_info" | field master_host); _port=$(printf '%s\n' "$_info" | field master_port)
    if [ "$(rcli replication "$_host" "$_port" PING 2>/dev/null | tr -d '\r')" != PONG ]; then
      why="the primary $_host:$_port does not accept the replication password file yet: masterauth unchanged"; return 1
    fi
  fi
  _pw=$(password_of replication) || { why="cannot read the replication password file"; return 1; }
  [ "$(node_run "CONFIG SET masterauth $_pw")" = OK ] || { why="CONFIG SET masterauth failed"; return 1; }
  log "masterauth follows the replication password file"
}

apply_sentinel_users() {
  set_users "$REDIS_CONF_FILE" || return 1
  log "applied the users of $REDIS_CONF_FILE with ACL SETUSER ($applied_users users, $removed removed)"
}

# The sentinel password is what this sentinel logs in with to the data nodes and to the other sentinels:
# it switches only when the primary and every other sentinel accept it.
apply_sentinel_auth() {
  _addr=$(node_run "SENTINEL get-master-addr-by-name $REDIS_MASTER_NAME")
  _host=$(printf '%s\n' "$_addr" | sed -n 1p); _port=$(printf '%s\n' "$_addr" | sed -n 2p)
  case "$_port" in "" | *[!0-9]*) why="this sentinel names no primary"; return 1 ;; esac
  [ "$(rcli sentinel "$_host" "$_port" PING 2>/dev/null | tr -d '\r')" = PONG ] || { why="the primary $_host:$_port does not accept the sentinel password file yet"; return 1; }
  for _other in $REDIS_SENTINELS; do
    [ "$_other" != "$REDIS_ANNOUNCE_HOST:$REDIS_PORT" ] || continue
    [ "$(rcli sentinel "\${_other%:*}" "\${_other##*:}" PING 2>/dev/null | tr -d '\r')" = PONG ] || { why="sentinel $_other does not accept the sentinel password file yet"; return 1; }
  done
  _pw=$(password_of sentinel) || { why="cannot read the sentinel password file"; return 1; }
  _replies=$(node_run "SENTINEL SET $REDIS_MASTER_NAME auth-pass $_pw
SENTINEL CONFIG SET sentinel-pass $_pw")
  [ "$(printf '%s\n' "$_replies" | grep -c '^OK$')" = 2 ] || { why="SENTINEL SET auth-pass or SENTINEL CONFIG SET sentinel-pass failed"; return 1; }
  log "auth-pass and sentinel-pass follow the sentinel password file"
}

sentinel_tls_changed() {
  if [ "\${tls_seen_once:-no}" = no ]; then
    tls_seen_once=yes
    return 0
  fi
  if [ "\${REDIS_RELOAD_SENTINEL_TLS:-log}" != restart ]; then
    log "the TLS files changed; a sentinel cannot reload them at runtime: restart this sentinel to use them"
    return 0
  fi
  # Sentinels restart one at a time, in the order of their ordinals, so a majority always runs.
  _ordinal=\${REDIS_NODE_NAME##*-}
  case "$_ordinal" in "" | *[!0-9]*) _ordinal=0 ;; esac
  [ -n "\${tls_turn_at:-}" ] || tls_turn_at=$(( $(now) + _ordinal * \${REDIS_RELOAD_SENTINEL_STAGGER:-30} ))
  [ "$(now)" -ge "$tls_turn_at" ] || { why="the TLS files changed: waiting for this sentinel's turn to restart (ordinal $_ordinal)"; return 1; }
  for _other in $REDIS_SENTINELS; do
    [ "$_other" != "$REDIS_ANNOUNCE_HOST:$REDIS_PORT" ] || continue
    [ "$(rcli "$user" "\${_other%:*}" "\${_other##*:}" PING 2>/dev/null | tr -d '\r')" = PONG ] || { why="the TLS files changed, but sentinel $_other does not answer: not restarting this one now"; return 1; }
  done
  tls_turn_at=""
  log "the TLS files changed; a sentinel cannot reload them at runtime: shutting it down for its restart policy to bring it back"
  node_run "SHUTDOWN" >/dev/null || true
}

if [ "$REDIS_RELOAD_KIND" = redis ]; then
  log "watching $REDIS_ACL_FILE, the replication password and the TLS files every \${interval}s (ACL apply: \${REDIS_ACL_APPLY:-load})"
else
  log "watching the users of $REDIS_CONF_FILE, the sentinel password and the TLS files every \${interval}s"
fi
while :; do
  remember_good_credentials || true
  if [ "$REDIS_RELOAD_KIND" = redis ]; then
    step acl "$(checksum "$REDIS_ACL_FILE")" apply_acl
    [ "$tls" != yes ] || step tls "$(checksum "$REDIS_TLS_CERT_FILE" "$REDIS_TLS_KEY_FILE" "$REDIS_TLS_CA_FILE")" apply_tls
    [ ! -r "$REDIS_PASSWORD_DIR/replication" ] || step masterauth "$(checksum "$REDIS_PASSWORD_DIR/replication")" apply_masterauth
  else
    step users "$(grep '^user ' "$REDIS_CONF_FILE" 2>/dev/null | cksum | tr ' ' '-')" apply_sentinel_users
    [ "$tls" != yes ] || step tls "$(checksum "$REDIS_TLS_CERT_FILE" "$REDIS_TLS_KEY_FILE" "$REDIS_TLS_CA_FILE")" sentinel_tls_changed
    [ ! -r "$REDIS_PASSWORD_DIR/sentinel" ] || step sentinel_auth "$(checksum "$REDIS_PASSWORD_DIR/sentinel")" apply_sentinel_auth
  fi
  sleep "$interval" &
  wait $! || true
done
`;
    return composeScript(
        "Live-reload sidecar of a Redis data node or sentinel: applies changed ACL, password and TLS files to the\nrunning process (ACL LOAD or ACL SETUSER, CONFIG SET), never restarting a data node.",
        body,
        { codes: ["SC2030", "SC2031"], reason: "with_good_credentials changes credential paths in a subshell on purpose" },
    );
}
