#!/usr/bin/env bash
# Builds the local stand-in images the Docker platform tests run in place of the pinned registry images
# (no registry is reachable): one Debian bookworm base (debootstrap --variant=minbase, docker import), then one
# small image per recipe in images/standin/, tagged with the pinned `repository:tag` (tools/docker/standins.ts).
# Each image carries a content hash of its inputs as a label; an image whose hash matches is not rebuilt.
# Skips with a notice when no engine answers (docker-engine.sh said why).
set -euo pipefail
cd "$(dirname "$0")/.."

SUITE=bookworm
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
HASH_LABEL=redisplatform.standin.hash
export DOCKER_BUILDKIT=0

if ! docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then
    echo "setup: no Docker engine answers: stand-in images NOT built" >&2
    exit 0
fi

image_hash() { docker image inspect --format "{{ index .Config.Labels \"$HASH_LABEL\" }}" "$1" 2>/dev/null || true; }

# The base: a minimal Debian rootfs, imported once; its tag carries the hash of what made it.
base_hash=$(printf '%s\n' "debootstrap --variant=minbase $SUITE $MIRROR" | sha256sum | cut -c1-16)
base="redisplatform/standin-base:$SUITE-$base_hash"
if docker image inspect "$base" >/dev/null 2>&1; then
    echo "setup: base image $base (cached)"
else
    echo "setup: building base image $base (debootstrap --variant=minbase $SUITE, a few minutes once)"
    rootfs=$(mktemp -d /var/tmp/redisplatform-rootfs.XXXXXX)
    trap 'rm -rf "$rootfs"' EXIT
    debootstrap --variant=minbase "$SUITE" "$rootfs" "$MIRROR" >"$rootfs.log" 2>&1 || { tail -n 20 "$rootfs.log" >&2; exit 1; }
    rm -f "$rootfs.log"
    tar -C "$rootfs" -c . | docker import --change "LABEL $HASH_LABEL=$base_hash" - "$base" >/dev/null
    rm -rf "$rootfs"
    trap - EXIT
fi

while read -r recipe tag uid gid; do
    dockerfile="images/standin/$recipe.Dockerfile"
    hash=$({ printf '%s %s %s %s\n' "$base" "$tag" "$uid" "$gid"; cat "$dockerfile"; } | sha256sum | cut -c1-16)
    if [ "$(image_hash "$tag")" = "$hash" ]; then
        echo "setup: stand-in $tag (cached, $hash)"
        continue
    fi
    echo "setup: building stand-in $tag from $dockerfile"
    docker build -q --force-rm --network host -f "$dockerfile" \
        --build-arg "BASE=$base" --build-arg "UID=$uid" --build-arg "GID=$gid" \
        --label "$HASH_LABEL=$hash" --label "redisplatform.standin.recipe=$recipe" \
        -t "$tag" images/standin 2> >(grep -v -e DEPRECATED -e "legacy builder" -e BuildKit -e "environment-variable" -e "^$" >&2) >/dev/null
done < <(npx --no-install tsx tools/docker/standins.ts)

# Superseded builds of our own stand-ins.
docker image prune -f --filter "label=$HASH_LABEL" >/dev/null
