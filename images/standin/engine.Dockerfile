# Stand-in for the pinned Redis engine image (redis:<tag>-alpine): Debian bookworm's redis-server,
# redis-sentinel and redis-tools (Redis 7.0.15). Same account ids as the pinned image, /data owned by it,
# WORKDIR /data, no /etc/redis (the official image has none; the containers get theirs as uploads).
ARG BASE
FROM ${BASE}
ARG UID
ARG GID
RUN groupadd --system --gid "${GID}" redis \
 && useradd --system --uid "${UID}" --gid "${GID}" --home-dir /data --no-create-home --shell /usr/sbin/nologin redis \
 && apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server redis-sentinel redis-tools wget >/dev/null \
 && apt-get clean && rm -rf /var/lib/apt/lists/* /etc/redis /var/log/redis \
 && mkdir -p /data && chown redis:redis /data
WORKDIR /data
VOLUME /data
CMD ["redis-server"]
