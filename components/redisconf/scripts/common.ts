/**
 * The POSIX `sh` helpers every rendered script starts with. They need nothing but `redis-cli` and the
 * standard utilities of a Redis container image; passwords are read from files and handed to `redis-cli`
 * through `REDISCLI_AUTH`, never on a command line.
 */

/**
 * Characters a password may hold. Passwords end up in `masterauth` and `sentinel auth-pass` lines, so
 * whitespace, quotes and backslashes are refused; generate passwords from this set.
 */
export const PASSWORD_ALLOWED_PATTERN = /^[A-Za-z0-9._~+\/=@%^,:-]+$/;

/**
 * A template tag for shell text: backslashes stay as written and `\${` yields a literal `${`, so shell
 * parameter expansions need no other escaping. `${...}` without the backslash still interpolates.
 */
export function sh(strings: TemplateStringsArray, ...values: unknown[]): string {
    return String.raw(strings, ...values).replace(/\\\$\{/g, "${");
}

/** The shell prelude: strict mode, logging, password files, a `redis-cli` wrapper and sentinel queries. */
export const SHELL_PRELUDE = sh`set -eu

log() { printf '%s %s: %s\n' "$(date -u +%H:%M:%S)" "\${REDIS_NODE_NAME:-node}" "$*" >&2; }
die() { log "$*"; exit 1; }

# Prints a user's password from its file, refusing characters a config line could not carry.
password_of() {
  _file="$REDIS_PASSWORD_DIR/$1"
  [ -r "$_file" ] || die "cannot read the password file $_file"
  _pw=$(cat "$_file")
  case "$_pw" in
    "" | *[!A-Za-z0-9._~+/=@%^,:-]*) die "the password in $_file is empty or holds a character outside A-Z a-z 0-9 . _ ~ + / = @ % ^ , : -" ;;
  esac
  printf '%s' "$_pw"
}

# An upper bound on each redis-cli call, so an unreachable peer cannot hang a start or a preStop.
if command -v timeout >/dev/null 2>&1; then CLI_TIMEOUT="timeout \${REDIS_CLI_TIMEOUT:-5}"; else CLI_TIMEOUT=""; fi

# rcli USER HOST PORT ARGS...: runs redis-cli as USER against HOST:PORT.
rcli() {
  _user=$1; _host=$2; _port=$3; shift 3
  _auth=$(password_of "$_user") || exit 1
  if [ "\${REDIS_TLS:-yes}" = yes ] && [ -n "\${REDIS_TLS_CLIENT_CERT_FILE:-}" ]; then
    REDISCLI_AUTH=$_auth $CLI_TIMEOUT redis-cli --tls --cacert "$REDIS_TLS_CA_FILE" --cert "$REDIS_TLS_CLIENT_CERT_FILE" \
      --key "$REDIS_TLS_CLIENT_KEY_FILE" --user "$_user" -h "$_host" -p "$_port" "$@"
  elif [ "\${REDIS_TLS:-yes}" = yes ]; then
    # No client certificate (an operator's machine, when the nodes do not require mTLS).
    REDISCLI_AUTH=$_auth $CLI_TIMEOUT redis-cli --tls --cacert "$REDIS_TLS_CA_FILE" --user "$_user" -h "$_host" -p "$_port" "$@"
  else
    REDISCLI_AUTH=$_auth $CLI_TIMEOUT redis-cli --user "$_user" -h "$_host" -p "$_port" "$@"
  fi
}

# local_cli ARGS...: redis-cli as admin against this node.
local_cli() { rcli admin 127.0.0.1 "\${REDIS_LOCAL_PORT:-$REDIS_PORT}" "$@"; }

# field NAME: reads INFO-style "name:value" lines on stdin and prints the value of NAME.
field() { tr -d '\r' | sed -n "s/^$1://p"; }

now() { date +%s; }

# current_primary SKIP: host:port of the primary the sentinels name, preferring the answer with the
# highest config epoch; prints nothing when no sentinel answers. SKIP is an address not to ask (itself), or "".
current_primary() {
  _best=""; _best_epoch=-1
  for _sentinel in $REDIS_SENTINELS; do
    [ "$_sentinel" != "$1" ] || continue
    _shost=\${_sentinel%:*}; _sport=\${_sentinel##*:}
    _addr=$(rcli sentinel "$_shost" "$_sport" SENTINEL get-master-addr-by-name "$REDIS_MASTER_NAME" 2>/dev/null | tr -d '\r') || continue
    _phost=$(printf '%s\n' "$_addr" | sed -n 1p); _pport=$(printf '%s\n' "$_addr" | sed -n 2p)
    case "$_pport" in "" | *[!0-9]*) continue ;; esac
    _epoch=$(rcli sentinel "$_shost" "$_sport" SENTINEL master "$REDIS_MASTER_NAME" 2>/dev/null | tr -d '\r' | sed -n '/^config-epoch$/{n;p;}') || _epoch=0
    case "$_epoch" in "" | *[!0-9]*) _epoch=0 ;; esac
    if [ "$_epoch" -gt "$_best_epoch" ]; then _best_epoch=$_epoch; _best="$_phost:$_pport"; fi
  done
  printf '%s' "$_best"
}
`;

/** Shell lines that stop the script with a clear message when one of these environment variables is unset. */
export function requireEnv(names: readonly string[]): string {
    return names.map((name) => `: "\${${name}:?environment variable ${name} is not set}"`).join("\n");
}

/** A shellcheck check a whole script opts out of, and why (shellcheck reads it before the first command). */
export interface ShellcheckException {
    codes: readonly string[];
    reason: string;
}

/** Joins a script's header comment, the prelude and its body into one file. */
export function composeScript(description: string, body: string, exception?: ShellcheckException): string {
    const header = description
        .split("\n")
        .map((line) => (line === "" ? "#" : `# ${line}`))
        .join("\n");
    const directive = exception ? `# shellcheck disable=${exception.codes.join(",")} # ${exception.reason}\n` : "";
    return `#!/bin/sh\n${directive}${header}\n# Rendered by components/redisconf/scripts: edit the renderer, not this file.\n\n${SHELL_PRELUDE}\n${body.trimEnd()}\n`;
}
