# Stand-in for prom/prometheus: Debian's prometheus (/bin/prometheus through the merged /usr), the image's entrypoint and default
# arguments, run as nobody with /prometheus owned by it.
ARG BASE
FROM ${BASE}
ARG UID
ARG GID
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null \
 && apt-get clean && rm -rf /var/lib/apt/lists/* \
 && test -x /bin/prometheus && test -x /bin/promtool \
 && mkdir -p /prometheus /etc/prometheus && chown "${UID}:${GID}" /prometheus
USER ${UID}:${GID}
WORKDIR /prometheus
VOLUME /prometheus
EXPOSE 9090
ENTRYPOINT ["/bin/prometheus"]
CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]
