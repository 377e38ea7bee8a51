import { composeScript, requireEnv, sh } from "./common";

/**
 * Renders `redis-backup.sh`, the scheduled backup of a self-hosted deployment. The same text runs in the
 * Kubernetes CronJob, in the Docker backup container and in the integration tests; what differs comes from
 * the environment (see `backupScriptEnv` in `backupEnv.ts`).
 *
 * For each shard (`BACKUP_SHARDS`: space-separated groups of comma-separated `host:port`; one group unless
 * the topology is a cluster) it:
 *
 * 1. asks every node of the group for `INFO replication` as the `backup` ACL user and picks a replica whose
 *    `master_link_status` is `up` (its fork does not stall the primary's clients), else the primary;
 * 2. streams an RDB snapshot with `redis-cli --rdb` as the `backup` user (over TLS when `REDIS_TLS=yes`),
 *    the password piped through `REDISCLI_AUTH` from its file, never a command line;
 * 3. checks it with `redis-check-rdb`, compresses it with gzip (`gzip -t` checked) and writes a
 *    `sha256sum`-format checksum beside it.
 *
 * Then it stores the backup as `<target>/<deployment>/<id>/shard-<i>.rdb.gz` (+ `.sha256`), `COMPLETE`
 * written last, and `<target>/<deployment>/LATEST` naming the id. `<id>` is the UTC start time
 * (`20260102T030405Z`). Targets:
 *
 * - `s3://bucket/prefix`: `aws s3 cp` with SSE-KMS (`BACKUP_S3_SSE`, default `aws:kms`;
 *   `BACKUP_KMS_KEY_ID` picks the key, else the bucket's default key), `BACKUP_S3_ENDPOINT` for an
 *   S3-compatible store; credentials come from the platform (IRSA, instance role, environment).
 * - an absolute directory (Docker dev, a mounted volume): written under a `.partial-<id>` directory and
 *   renamed into place, so a backup is complete or absent; backups older than `BACKUP_RETENTION_DAYS` are
 *   pruned (a bucket's lifecycle does that for S3).
 *
 * Finally it pushes `redisplatform_backup_last_success_timestamp_seconds` (and the size and duration) for
 * `deployment=<BACKUP_DEPLOYMENT>` to `BACKUP_PUSHGATEWAY_URL` with curl or wget. Any failure exits non-zero
 * with the step that failed; nothing is pushed unless every shard was stored.
 *
 * `redis-backup.sh take` stops after step 3 and leaves the files in `BACKUP_WORK_DIR`; `redis-backup.sh
 * upload` stores and reports the files found there. The Kubernetes CronJob uses the two halves in two
 * containers (the Redis image has `redis-cli`, the AWS CLI image has `aws`); with no argument, both run.
 */
export function renderBackupScript(): string {
    const body = sh`${requireEnv(["BACKUP_DEPLOYMENT", "BACKUP_TARGET", "REDIS_PASSWORD_DIR"])}
REDIS_NODE_NAME=\${REDIS_NODE_NAME:-backup}
phase=\${1:-all}
case "$phase" in all | take | upload) ;; *) die "usage: redis-backup.sh [take|upload]" ;; esac
case "$BACKUP_DEPLOYMENT" in "" | *[!A-Za-z0-9._-]*) die "BACKUP_DEPLOYMENT must hold only A-Z a-z 0-9 . _ -" ;; esac
case "$BACKUP_TARGET" in
  s3://?*) target_kind=s3 ;;
  /*) target_kind=dir ;;
  *) die "BACKUP_TARGET must be s3://bucket/prefix or an absolute directory, not $BACKUP_TARGET" ;;
esac
target_base="\${BACKUP_TARGET%/}/$BACKUP_DEPLOYMENT"
started=$(now)
umask 077

# rdb_dump HOST PORT FILE: streams an RDB snapshot of HOST:PORT into FILE as the backup user. A dump of a
# large dataset outlasts the prelude's per-command limit, so BACKUP_TIMEOUT bounds it instead.
rdb_dump() {
  _auth=$(password_of backup) || exit 1
  if command -v timeout >/dev/null 2>&1; then _limit="timeout \${BACKUP_TIMEOUT:-3600}"; else _limit=""; fi
  if [ "\${REDIS_TLS:-yes}" = yes ]; then
    REDISCLI_AUTH=$_auth $_limit redis-cli --tls --cacert "$REDIS_TLS_CA_FILE" --cert "$REDIS_TLS_CLIENT_CERT_FILE" \
      --key "$REDIS_TLS_CLIENT_KEY_FILE" --user backup -h "$1" -p "$2" --rdb "$3"
  else
    REDISCLI_AUTH=$_auth $_limit redis-cli --user backup -h "$1" -p "$2" --rdb "$3"
  fi
}

# pick_source GROUP: the node to dump a shard from: an in-sync replica when there is one, else the primary.
# Nodes that do not answer are passed over.
pick_source() {
  _primary=""; _replica=""
  for _addr in $(printf '%s' "$1" | tr ',' ' '); do
    _info=$(rcli backup "\${_addr%:*}" "\${_addr##*:}" INFO replication 2>/dev/null) || continue
    _role=$(printf '%s\n' "$_info" | field role)
    if [ "$_role" = slave ] && [ "$(printf '%s\n' "$_info" | field master_link_status)" = up ]; then
      [ -n "$_replica" ] || _replica=$_addr
    elif [ "$_role" = master ]; then
      [ -n "$_primary" ] || _primary=$_addr
    fi
  done
  if [ -n "$_replica" ]; then printf '%s' "$_replica"; else printf '%s' "$_primary"; fi
}

# s3_put FILE URL: uploads one file, encrypted at rest with KMS unless BACKUP_S3_SSE=none.
s3_put() {
  set -- "$1" "$2" --only-show-errors
  if [ "\${BACKUP_S3_SSE:-aws:kms}" != none ]; then
    set -- "$@" --sse "\${BACKUP_S3_SSE:-aws:kms}"
    [ -z "\${BACKUP_KMS_KEY_ID:-}" ] || set -- "$@" --sse-kms-key-id "$BACKUP_KMS_KEY_ID"
  fi
  [ -z "\${BACKUP_S3_ENDPOINT:-}" ] || set -- "$@" --endpoint-url "$BACKUP_S3_ENDPOINT"
  aws s3 cp "$@"
}

# push_metrics BYTES: tells the Pushgateway this deployment's backup succeeded now.
push_metrics() {
  if [ -z "\${BACKUP_PUSHGATEWAY_URL:-}" ]; then
    log "BACKUP_PUSHGATEWAY_URL is not set: no metric pushed, the backup alerts will not see this backup"
    return 0
  fi
  _url="\${BACKUP_PUSHGATEWAY_URL%/}/metrics/job/redis-backup/deployment/$BACKUP_DEPLOYMENT"
  _body=$(printf '# TYPE redisplatform_backup_last_success_timestamp_seconds gauge\nredisplatform_backup_last_success_timestamp_seconds %s\n# TYPE redisplatform_backup_last_size_bytes gauge\nredisplatform_backup_last_size_bytes %s\n# TYPE redisplatform_backup_last_duration_seconds gauge\nredisplatform_backup_last_duration_seconds %s\n' "$(now)" "$1" "$(( $(now) - started ))")
  if command -v curl >/dev/null 2>&1; then
    printf '%s\n' "$_body" | curl -fsS --max-time 30 --data-binary @- "$_url" >/dev/null || die "pushing the metric to $_url failed (the backup itself is stored)"
  elif command -v wget >/dev/null 2>&1; then
    wget -q -T 30 -O /dev/null --post-data="$_body
" "$_url" || die "pushing the metric to $_url failed (the backup itself is stored)"
  else
    die "neither curl nor wget is installed: cannot push the metric to $_url (the backup itself is stored)"
  fi
}

if [ "$phase" = upload ]; then
  : "\${BACKUP_WORK_DIR:?environment variable BACKUP_WORK_DIR is not set}"
  backup_id=$(sed -n 's/^id=//p' "$BACKUP_WORK_DIR/COMPLETE" 2>/dev/null) || backup_id=""
  [ -n "$backup_id" ] || die "$BACKUP_WORK_DIR holds no finished dump (no COMPLETE file): did the take phase fail?"
  work=$BACKUP_WORK_DIR
else
  ${requireEnv(["BACKUP_SHARDS"])}
  backup_id=\${BACKUP_ID:-$(date -u +%Y%m%dT%H%M%SZ)}
  case "$backup_id" in "" | *[!0-9TZ]*) die "BACKUP_ID must look like 20260102T030405Z, not $backup_id" ;; esac
  if [ "$phase" = take ]; then
    : "\${BACKUP_WORK_DIR:?environment variable BACKUP_WORK_DIR is not set}"
    # Often a volume's mount point, which cannot be removed: empty it instead.
    work=$BACKUP_WORK_DIR
    mkdir -p "$work"
    rm -f "$work"/shard-* "$work/COMPLETE"
  else
    if [ "$target_kind" = dir ]; then
      # On the target's own volume, so the final rename is atomic.
      work="$target_base/.partial-$backup_id"
    else
      work="\${BACKUP_WORK_DIR:-/tmp}/redis-backup-$backup_id"
    fi
    [ ! -e "$target_base/$backup_id" ] || die "backup $backup_id already exists in $target_base"
    rm -rf "$work"
    mkdir -p "$work"
    trap 'rm -rf "$work"' EXIT
  fi
  shard=0
  for group in $BACKUP_SHARDS; do
    source=$(pick_source "$group")
    [ -n "$source" ] || die "shard $shard: no node of $group answered as a primary or an in-sync replica"
    raw="$work/shard-$shard.rdb"
    log "shard $shard: dumping an RDB snapshot from $source"
    rdb_dump "\${source%:*}" "\${source##*:}" "$raw" >&2 || die "shard $shard: redis-cli --rdb from $source failed"
    [ -s "$raw" ] || die "shard $shard: the snapshot from $source is empty"
    check=$(\${REDIS_CHECK_RDB_BIN:-redis-check-rdb} "$raw" 2>&1) || { printf '%s\n' "$check" >&2; die "shard $shard: redis-check-rdb refused the snapshot from $source"; }
    gzip -c "$raw" > "$raw.gz" || die "shard $shard: gzip failed"
    gzip -t "$raw.gz" || die "shard $shard: the compressed snapshot does not verify"
    rm -f "$raw"
    (cd "$work" && sha256sum "shard-$shard.rdb.gz" > "shard-$shard.rdb.gz.sha256") || die "shard $shard: sha256sum failed"
    log "shard $shard: $(wc -c < "$raw.gz" | tr -d ' ') bytes compressed, checked"
    shard=$((shard + 1))
  done
  [ "$shard" -gt 0 ] || die "BACKUP_SHARDS names no node"
  printf 'deployment=%s\nid=%s\nshards=%s\nfinished=%s\n' "$BACKUP_DEPLOYMENT" "$backup_id" "$shard" "$(now)" > "$work/COMPLETE"
  if [ "$phase" = take ]; then
    log "backup $backup_id taken into $work"
    exit 0
  fi
fi

bytes=0
for file in "$work"/shard-*.rdb.gz; do
  bytes=$((bytes + $(wc -c < "$file")))
done
if [ "$target_kind" = dir ]; then
  mkdir -p "$target_base"
  if [ "$work" != "$target_base/.partial-$backup_id" ]; then
    rm -rf "$target_base/.partial-$backup_id"
    cp -R "$work" "$target_base/.partial-$backup_id" || die "copying the backup into $target_base failed"
  fi
  mv "$target_base/.partial-$backup_id" "$target_base/$backup_id" || die "renaming the backup into $target_base/$backup_id failed"
  { printf '%s\n' "$backup_id" > "$target_base/LATEST.tmp" && mv "$target_base/LATEST.tmp" "$target_base/LATEST"; } || die "writing $target_base/LATEST failed"
  if [ -n "\${BACKUP_RETENTION_DAYS:-}" ]; then
    find "$target_base" -mindepth 1 -maxdepth 1 -type d -name '2*Z' -mtime "+$BACKUP_RETENTION_DAYS" -exec rm -rf {} + || log "pruning backups older than $BACKUP_RETENTION_DAYS days failed"
    find "$target_base" -mindepth 1 -maxdepth 1 -type d -name '.partial-*' -mtime +1 -exec rm -rf {} + || true
  fi
else
  command -v aws >/dev/null 2>&1 || die "BACKUP_TARGET is $BACKUP_TARGET but the AWS CLI (aws) is not installed"
  for file in "$work"/shard-*; do
    s3_put "$file" "$target_base/$backup_id/\${file##*/}" || die "uploading \${file##*/} to $target_base/$backup_id failed"
  done
  s3_put "$work/COMPLETE" "$target_base/$backup_id/COMPLETE" || die "uploading COMPLETE failed"
  printf '%s\n' "$backup_id" > "$work/LATEST"
  s3_put "$work/LATEST" "$target_base/LATEST" || die "uploading LATEST failed"
fi
log "backup $backup_id stored in $target_base/$backup_id ($bytes bytes)"
push_metrics "$bytes"
`;
    return composeScript("Scheduled backup: an RDB snapshot of every shard, checked, compressed and stored with its checksum.", body);
}
