#!/usr/bin/env bash
# The Docker engine the Docker platform tests apply the dev stack to (docs/docker.md, "Proven on a real engine").
# When no engine answers on /var/run/docker.sock: installs Debian's docker.io (and debootstrap, which builds the
# stand-in images), then starts dockerd in the background, its log in $DOCKERD_LOG and its pid in $DOCKERD_PID.
# The engine is left running for the user; stop it with: kill "$(cat /run/redisplatform-dockerd.pid)".
# Never fails set-up: when no engine can start, it says so loudly and exits 0 (the Docker tests then skip).
set -uo pipefail

DOCKERD_LOG=${DOCKERD_LOG:-/var/log/redisplatform-dockerd.log}
DOCKERD_PID=${DOCKERD_PID:-/run/redisplatform-dockerd.pid}

no_engine() {
    echo "setup: ######################################################################################" >&2
    echo "setup: NO DOCKER ENGINE: $1" >&2
    echo "setup: the Docker platform tests (npm run test:docker) will be SKIPPED; see docs/docker.md." >&2
    echo "setup: ######################################################################################" >&2
    exit 0
}

engine_answers() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

as_root=()
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { engine_answers && exit 0; no_engine "not root and no sudo: cannot install or start dockerd"; }
    as_root=(sudo)
fi

missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]} from Debian"
    export DEBIAN_FRONTEND=noninteractive
    { "${as_root[@]}" apt-get update -qq && "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; } ||
        no_engine "apt-get install ${missing[*]} failed"
fi

if engine_answers; then
    echo "setup: Docker engine $(docker version --format '{{.Server.Version}}') answers"
    exit 0
fi

echo "setup: starting dockerd (log $DOCKERD_LOG, pid $DOCKERD_PID)"
"${as_root[@]}" sh -c "nohup dockerd >'$DOCKERD_LOG' 2>&1 & echo \$! >'$DOCKERD_PID'" || no_engine "could not launch dockerd"
for _ in $(seq 1 60); do
    if engine_answers; then
        echo "setup: Docker engine $(docker version --format '{{.Server.Version}}') started (pid $(cat "$DOCKERD_PID"))"
        exit 0
    fi
    if ! "${as_root[@]}" kill -0 "$(cat "$DOCKERD_PID")" 2>/dev/null; then
        tail -n 5 "$DOCKERD_LOG" >&2 || true
        no_engine "dockerd exited at start (log: $DOCKERD_LOG)"
    fi
    sleep 1
done
no_engine "dockerd did not answer within 60 s (log: $DOCKERD_LOG)"
