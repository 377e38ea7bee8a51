# Stand-in for oliver006/redis_exporter: Debian's prometheus-redis-exporter at /redis_exporter, the
# image's entrypoint, run as 59000:59000 like the pinned image.
ARG BASE
FROM ${BASE}
ARG UID
ARG GID
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus-redis-exporter >/dev/null \
 && apt-get clean && rm -rf /var/lib/apt/lists/* \
 && ln -s /usr/bin/prometheus-redis-exporter /redis_exporter
USER ${UID}:${GID}
EXPOSE 9121
ENTRYPOINT ["/redis_exporter"]
