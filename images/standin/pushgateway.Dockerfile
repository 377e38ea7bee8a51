# Stand-in for prom/pushgateway: Debian's prometheus-pushgateway at /bin/pushgateway, the image's
# entrypoint, run as nobody.
ARG BASE
FROM ${BASE}
ARG UID
ARG GID
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus-pushgateway >/dev/null \
 && apt-get clean && rm -rf /var/lib/apt/lists/* \
 && ln -s prometheus-pushgateway /usr/bin/pushgateway \
 && mkdir -p /pushgateway && chown "${UID}:${GID}" /pushgateway
USER ${UID}:${GID}
WORKDIR /pushgateway
EXPOSE 9091
ENTRYPOINT ["/bin/pushgateway"]
