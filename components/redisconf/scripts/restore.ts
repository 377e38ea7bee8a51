import { composeScript, requireEnv, sh } from "./common";

/**
 * Renders `redis-restore.sh`: puts one shard of a backup written by `redis-backup.sh` into the data
 * directory of a **stopped** data node, so the node loads it when it next starts. It runs where the node's
 * data volume is mounted (a Kubernetes Job or init container, a one-off Docker container with the node's
 * volumes, the local harness) and:
 *
 * 1. refuses to run while something answers on the node's port (`REDIS_LOCAL_PORT` or `REDIS_PORT`, when set);
 * 2. resolves `BACKUP_ID` (`latest`, the default, reads `<target>/<deployment>/LATEST`), fetches
 *    `shard-<BACKUP_SHARD>.rdb.gz` and its checksum (a directory, or S3 with `aws s3 cp`), refuses a backup
 *    without its `COMPLETE` marker, verifies the checksum, decompresses and runs `redis-check-rdb`;
 * 3. moves the node's current `dump.rdb`, append-only files and `engine` record (redis-start.sh's) aside into `pre-restore-<time>/` (a rename:
 *    delete it once the restored node is verified), and keeps `nodes.conf` and the runtime config;
 * 4. installs the snapshot where the node's config makes Redis load it: as `dbfilename` when `appendonly` is
 *    off, or as the base file of a fresh multi-part AOF (`appenddirname`, a one-line manifest) when it is on,
 *    because Redis 7 with `appendonly yes` ignores an RDB when no AOF exists. The settings are read from
 *    `REDIS_CONF_FILE` when it is set.
 *
 * In a topology with replicas, restore the primary only and start it first; replicas started afterwards
 * with empty data directories take a full copy from it (`docs/backup.md` has the procedure).
 */
export function renderRestoreScript(): string {
    const body = sh`${requireEnv(["BACKUP_DEPLOYMENT", "BACKUP_TARGET", "REDIS_DATA_DIR"])}
REDIS_NODE_NAME=\${REDIS_NODE_NAME:-restore}
shard=\${BACKUP_SHARD:-0}
case "$shard" in "" | *[!0-9]*) die "BACKUP_SHARD must be a shard number such as 0, not $shard" ;; esac
case "$BACKUP_TARGET" in
  s3://?*) target_kind=s3 ;;
  /*) target_kind=dir ;;
  *) die "BACKUP_TARGET must be s3://bucket/prefix or an absolute directory, not $BACKUP_TARGET" ;;
esac
target_base="\${BACKUP_TARGET%/}/$BACKUP_DEPLOYMENT"
umask 077

# fetch NAME DEST: copies <target>/<deployment>/NAME to DEST.
fetch() {
  if [ "$target_kind" = dir ]; then
    cp "$target_base/$1" "$2"
  else
    command -v aws >/dev/null 2>&1 || die "BACKUP_TARGET is $BACKUP_TARGET but the AWS CLI (aws) is not installed"
    if [ -n "\${BACKUP_S3_ENDPOINT:-}" ]; then
      aws s3 cp --only-show-errors --endpoint-url "$BACKUP_S3_ENDPOINT" "$target_base/$1" "$2"
    else
      aws s3 cp --only-show-errors "$target_base/$1" "$2"
    fi
  fi
}

# conf_value NAME DEFAULT: the last value of a directive in the node's config, unquoted.
conf_value() {
  _value=""
  if [ -n "\${REDIS_CONF_FILE:-}" ] && [ -r "$REDIS_CONF_FILE" ]; then
    _value=$(sed -n "s/^[[:space:]]*$1[[:space:]][[:space:]]*//p" "$REDIS_CONF_FILE" | tail -n 1 | tr -d '"\r')
  fi
  printf '%s' "\${_value:-$2}"
}

port=\${REDIS_LOCAL_PORT:-\${REDIS_PORT:-}}
if [ -n "$port" ]; then
  if [ "\${REDIS_TLS:-yes}" = yes ]; then
    # Only whether a server answers matters here, so no certificate is verified and no user logs in.
    set -- --tls --insecure
    [ -z "\${REDIS_TLS_CLIENT_CERT_FILE:-}" ] || set -- "$@" --cert "$REDIS_TLS_CLIENT_CERT_FILE" --key "$REDIS_TLS_CLIENT_KEY_FILE"
  else
    set --
  fi
  answer=$(timeout 5 redis-cli "$@" -h 127.0.0.1 -p "$port" PING 2>&1 || true)
  case "$answer" in
    *PONG* | *NOAUTH* | *WRONGPASS* | *LOADING* | *"not allowed"*) die "a Redis server answers on port $port: stop the node before restoring into $REDIS_DATA_DIR" ;;
  esac
fi

backup_id=\${BACKUP_ID:-latest}
stage="$REDIS_DATA_DIR/.restore-$$"
rm -rf "$stage"
mkdir -p "$stage"
trap 'rm -rf "$stage"' EXIT
if [ "$backup_id" = latest ]; then
  fetch LATEST "$stage/LATEST" || die "cannot read $target_base/LATEST: name a backup with BACKUP_ID"
  backup_id=$(tr -d ' \r\n' < "$stage/LATEST")
fi
case "$backup_id" in "" | *[!0-9TZ]*) die "backup id \"$backup_id\" is not one redis-backup.sh writes (such as 20260102T030405Z)" ;; esac
name="shard-$shard.rdb.gz"
fetch "$backup_id/COMPLETE" "$stage/COMPLETE" || die "backup $backup_id in $target_base has no COMPLETE marker: it is unfinished or does not exist"
shards=$(sed -n 's/^shards=//p' "$stage/COMPLETE")
[ "$shard" -lt "\${shards:-0}" ] || die "backup $backup_id has $shards shard(s); there is no shard $shard"
fetch "$backup_id/$name" "$stage/$name" || die "cannot fetch $backup_id/$name"
fetch "$backup_id/$name.sha256" "$stage/$name.sha256" || die "cannot fetch $backup_id/$name.sha256"
(cd "$stage" && sha256sum -c "$name.sha256" >/dev/null) || die "$backup_id/$name does not match its checksum"
gzip -dc "$stage/$name" > "$stage/restore.rdb" || die "cannot decompress $backup_id/$name"
check=$(\${REDIS_CHECK_RDB_BIN:-redis-check-rdb} "$stage/restore.rdb" 2>&1) || { printf '%s\n' "$check" >&2; die "redis-check-rdb refused $backup_id/$name"; }

dbfilename=$(conf_value dbfilename dump.rdb)
appendonly=$(conf_value appendonly no)
appenddirname=$(conf_value appenddirname appendonlydir)
appendfilename=$(conf_value appendfilename appendonly.aof)
aside="$REDIS_DATA_DIR/pre-restore-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$aside"
# "engine" is what redis-start.sh recorded as last serving the data: restored data is checked afresh.
for old in "$dbfilename" "$appenddirname" "$appendfilename" engine; do
  if [ -e "$REDIS_DATA_DIR/$old" ]; then mv "$REDIS_DATA_DIR/$old" "$aside/"; fi
done
if [ "$appendonly" = yes ]; then
  mkdir "$REDIS_DATA_DIR/$appenddirname"
  mv "$stage/restore.rdb" "$REDIS_DATA_DIR/$appenddirname/$appendfilename.1.base.rdb"
  printf 'file %s seq 1 type b\n' "$appendfilename.1.base.rdb" > "$REDIS_DATA_DIR/$appenddirname/$appendfilename.manifest"
  log "restored $backup_id shard $shard as the AOF base of $REDIS_DATA_DIR/$appenddirname; the previous files are in $aside"
else
  mv "$stage/restore.rdb" "$REDIS_DATA_DIR/$dbfilename"
  log "restored $backup_id shard $shard into $REDIS_DATA_DIR/$dbfilename; the previous files are in $aside"
fi
`;
    return composeScript("Restore: installs one shard of a backup into a stopped data node's data directory.", body);
}
