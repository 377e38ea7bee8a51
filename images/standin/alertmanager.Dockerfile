# Stand-in for prom/alertmanager: Debian's prometheus-alertmanager at /bin/alertmanager, the image's
# entrypoint and default arguments, run as nobody with /alertmanager owned by it.
ARG BASE
FROM ${BASE}
ARG UID
ARG GID
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus-alertmanager >/dev/null \
 && apt-get clean && rm -rf /var/lib/apt/lists/* \
 && ln -s prometheus-alertmanager /usr/bin/alertmanager && test -x /bin/amtool \
 && mkdir -p /alertmanager /etc/alertmanager && chown "${UID}:${GID}" /alertmanager
USER ${UID}:${GID}
WORKDIR /alertmanager
VOLUME /alertmanager
EXPOSE 9093
ENTRYPOINT ["/bin/alertmanager"]
CMD ["--config.file=/etc/alertmanager/alertmanager.yml", "--storage.path=/alertmanager"]
