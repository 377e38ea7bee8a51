#!/usr/bin/env bash
# One-time set-up on a Debian machine with Node 20: the Redis, Prometheus and exporter binaries the tests
# and local tools run, then the npm dependencies exactly as locked. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

debian_packages=(redis-server redis-sentinel redis-tools prometheus prometheus-alertmanager prometheus-pushgateway prometheus-redis-exporter openssl shellcheck awscli)
binaries=(redis-server redis-sentinel redis-cli redis-benchmark redis-check-rdb promtool amtool prometheus-pushgateway prometheus-redis-exporter openssl shellcheck aws)

missing=()
for binary in "${binaries[@]}"; do
    command -v "$binary" >/dev/null 2>&1 || missing+=("$binary")
done
# The backup test uploads with the AWS CLI v2 the pinned upload image has; an older aws earlier on PATH is no substitute.
dpkg -s awscli >/dev/null 2>&1 || missing+=(awscli)
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing Debian packages (missing: ${missing[*]})"
    as_root=()
    [ "$(id -u)" -eq 0 ] || as_root=(sudo)
    export DEBIAN_FRONTEND=noninteractive
    "${as_root[@]}" apt-get update -qq
    "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${debian_packages[@]}" >/dev/null
    # The packages start system services on the default ports; the tests start their own processes.
    for service in redis-server redis-sentinel prometheus prometheus-alertmanager prometheus-pushgateway prometheus-redis-exporter; do
        "${as_root[@]}" service "$service" stop >/dev/null 2>&1 || true
    done
fi

echo "setup: npm ci"
npm ci --no-audit --no-fund --loglevel=error

# The Docker engine and the stand-in images of the Docker platform tests (never fatal: without an engine the
# Docker suites are skipped, loudly).
bash scripts/docker-engine.sh
bash scripts/docker-images.sh || echo "setup: ######## STAND-IN IMAGES NOT BUILT: the Docker platform tests will fail (see above) ########" >&2
