import type { EngineName } from "../redisconf/engines";

/**
 * The container images self-hosted nodes run, pinned by exact tag and digest. Pure: no Pulumi import, so the
 * Docker and Kubernetes platforms, the policy pack and the tests read the same table.
 *
 * Every digest below was copied from public repositories that pin the same reference (there is no registry
 * access where this table is maintained). It is the digest of the multi-arch image index behind the tag.
 * Verify one with `docker buildx imagetools inspect <ref>`; the `Digest:` line of the output must equal the
 * part after `@`. To move a version, replace the tag and the digest together, never only the tag.
 */

/** A container image pinned by exact tag and digest, with the account its processes run as. */
export interface PinnedImage {
    /** The full reference, `repository:tag@sha256:<64 hex>`, as `docker pull` and Kubernetes take it. */
    ref: string;
    /** The repository, such as `redis` or `valkey/valkey`. */
    repository: string;
    /** The exact tag, such as `7.2.5-alpine`. */
    tag: string;
    /** The digest, `sha256:<64 hex>`. */
    digest: string;
    /** The numeric user id of the image's unprivileged account (`redis` or `valkey`), which owns `/data`. */
    uid: number;
    /** The numeric group id of that account. */
    gid: number;
}

/** The pattern every pinned reference matches. */
export const PINNED_IMAGE_PATTERN = /^[a-z0-9]+(?:[._\/-][a-z0-9]+)*:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}@sha256:[0-9a-f]{64}$/;

function pinned(repository: string, tag: string, hex: string, uid: number, gid: number): PinnedImage {
    const digest = `sha256:${hex}`;
    return { ref: `${repository}:${tag}@${digest}`, repository, tag, digest, uid, gid };
}

// The official alpine images create their account with `addgroup -S -g 1000 <name>; adduser -S -G <name> -u 999`
// (docker-library/redis and valkey-io/valkey-container Dockerfiles); the Debian ones with uid and gid 999.
const ALPINE_UID = 999;
const ALPINE_GID = 1000;
const DEBIAN_UID = 999;
const DEBIAN_GID = 999;

/**
 * The image of each supported self-hosted engine version (see `SUPPORTED_ENGINE_VERSIONS.selfhosted`).
 *
 * Where each digest was seen (public repositories found through a code search, not a registry query):
 * - `redis:7.0.15-alpine`: `c9d92d84…386b2`, pinned as `redis:7.0-alpine@sha256:c9d92d84…` (7.0.15 is the last
 *   7.0 release, so the floating tag ended there) in several .NET Testcontainers suites and a Python stack
 *   manifest, and as `redis:7.0.15-alpine@sha256:c9d92d…386b2` in an infrastructure audit marked "verified
 *   registry digest".
 * - `redis:7.2.5-alpine`: `6aaf3f5e…7b1f44`, in at least five independent projects (a Kotlin crawler
 *   baseline script, compose-based evaluation papers, a Celery stack). One other project pins a different,
 *   older build of the same tag (`de14eedf…`); the one here is the digest most projects agree on.
 * - `redis:7.4.2-alpine`: `02419de7…2b6952`, in about ten independent projects (a Go Testcontainers suite, a
 *   Rust e2e suite, a Java test, a NixOS module, a Makefile, CI workflows).
 * - `redis:8.0.5-alpine`: `6c8e6669…0d7c6ee`, seen in one TypeScript project only (its deployment fixtures and
 *   two test files, all the same reference). Verify before relying on it.
 * - `redis:8.2.3-alpine`: `08ad0b1d…e679ba`, in five independent projects (two Python harnesses, a compose
 *   test, an Argo CD install script through the `public.ecr.aws/docker/library` mirror, a proxy's compose file).
 * - `redis:8.4.0-alpine`: `4eec4565…faca809d`, in four independent projects (a compose generator, a Go test
 *   suite's reviewed image, an image inventory, a self-hosting stack's service list). Three others pin an
 *   earlier build of the same tag (`6cbef353…`); the one here is the later rebuild those projects moved to.
 * - `valkey/valkey:7.2.5`: `57361de3…70fc49b`, seen in one Go project only (no alpine build of 7.2 is pinned
 *   anywhere we could find). Debian-based: uid and gid 999. Verify before relying on it.
 * - `valkey/valkey:8.0.1-alpine`: `75010b68…3192fa6`, seen in one project's image inventory only. Verify
 *   before relying on it.
 * - `valkey/valkey:8.1.3-alpine`: `d827e7f7…a22773`, in several projects (Node and Python test harnesses,
 *   a shell smoke test, and a Terraform stack mirroring it from `ghcr.io/valkey-io/valkey`).
 * - `valkey/valkey:9.0.1-alpine`: `1be49449…4d76c6fa`, in a NixOS container module pinning `9.0.1-alpine` and,
 *   as the floating `9.0-alpine` of the time, in an unrelated cluster's image inventory (its tests and scanner).
 *   Earlier 9.0.0 builds (`4a3c001f…`, `b4ee67d7…`, `bef37d06…`) are pinned elsewhere.
 */
export const ENGINE_IMAGES: Readonly<Record<EngineName, Readonly<Record<string, PinnedImage>>>> = {
    redis: {
        "7.0": pinned("redis", "7.0.15-alpine", "c9d92d840fd011c908f040592857c724ae6d877f2aba5c40ad963276507386b2", ALPINE_UID, ALPINE_GID),
        "7.2": pinned("redis", "7.2.5-alpine", "6aaf3f5e6bc8a592fbfe2cccf19eb36d27c39d12dab4f4b01556b7449e7b1f44", ALPINE_UID, ALPINE_GID),
        "7.4": pinned("redis", "7.4.2-alpine", "02419de7eddf55aa5bcf49efb74e88fa8d931b4d77c07eff8a6b2144472b6952", ALPINE_UID, ALPINE_GID),
        "8.0": pinned("redis", "8.0.5-alpine", "6c8e66693fa71bad36ae06c75c990446ad01dbd4b081dd847eb9869f20d7c6ee", ALPINE_UID, ALPINE_GID),
        "8.2": pinned("redis", "8.2.3-alpine", "08ad0b1d280850169a790dba1393ff7a90aef951fc19632cf4d3ce4f78e679ba", ALPINE_UID, ALPINE_GID),
        "8.4": pinned("redis", "8.4.0-alpine", "4eec4565e45aa0b3966554c866bc73211e281b0b3d89fe9a33c982e6faca809d", ALPINE_UID, ALPINE_GID),
    },
    valkey: {
        "7.2": pinned("valkey/valkey", "7.2.5", "57361de39073ea1ef5e7bcfd8068871b21c0a197f01d460e15511f27070fc49b", DEBIAN_UID, DEBIAN_GID),
        "8.0": pinned("valkey/valkey", "8.0.1-alpine", "75010b6854cb5ba6a0b1540d1bd3238541a31e3f8018cd31f9e5b92bb3192fa6", ALPINE_UID, ALPINE_GID),
        "8.1": pinned("valkey/valkey", "8.1.3-alpine", "d827e7f7552cdee40cc7482dbae9da020f42bc47669af6f71182a4ef76a22773", ALPINE_UID, ALPINE_GID),
        "9.0": pinned("valkey/valkey", "9.0.1-alpine", "1be494495248d53e3558b198a1c704e6b559d5e99fe4c926e14a8ad24d76c6fa", ALPINE_UID, ALPINE_GID),
    },
};

/**
 * The Prometheus exporter image (`oliver006/redis_exporter`, which reads Redis and Valkey alike).
 * `v1.66.0@sha256:d98e6db8…f2e6a1` is pinned in a Valkey operator's API defaults and Helm values (documented
 * there as the multi-arch index digest read with `docker buildx imagetools inspect`) and in a second,
 * unrelated project's production digest list. The image runs as uid 59000 (`USER 59000:59000`).
 */
export const EXPORTER_IMAGE: PinnedImage = pinned("oliver006/redis_exporter", "v1.66.0", "d98e6db8094f491b95791e9f776b0ba30a20aeacb90e18334935d5e51bf2e6a1", 59000, 59000);

/**
 * The images of the bundled monitoring stack. Each runs as the account its Dockerfile sets: Prometheus,
 * Alertmanager and the Pushgateway as `nobody` (65534), Grafana as `grafana` (472, group 0).
 *
 * Where each digest was seen (public repositories found through a code search, not a registry query):
 * - `prom/prometheus:v2.53.0` (the 2.53 long-term-support line): `075b1ba2…1d8bc`, in two NixOS container
 *   definitions, three shell scripts running promtool from it and a `docker run` in a runbook, all agreeing.
 * - `prom/alertmanager:v0.27.0`: `e13b6ed5…5eacf5`, in about ten places across several unrelated projects
 *   (Ansible compose modules, a Terraform image map, a PowerShell task, a TypeScript image table, a
 *   supply-chain audit marking it as pinned).
 * - `grafana/grafana:11.1.0`: `079600c9…56ed7a5`, in a Terraform variable, a JavaScript pinned-image list, an
 *   Ansible compose module and two NixOS definitions. One Swarm stack pins a different build of the same tag
 *   (`bde5c7ba…`); the one here is the digest the others agree on. Verify before relying on it.
 * - `prom/pushgateway:v1.9.0`: `98a45841…571936`, in one Ansible project's compose modules and one unrelated
 *   compose file: two sources only. Verify before relying on it.
 */
export const MONITORING_IMAGES = {
    prometheus: pinned("prom/prometheus", "v2.53.0", "075b1ba2c4ebb04bc3a6ab86c06ec8d8099f8fda1c96ef6d104d9bb1def1d8bc", 65534, 65534),
    alertmanager: pinned("prom/alertmanager", "v0.27.0", "e13b6ed5cb929eeaee733479dce55e10eb3bc2e9c4586c705a4e8da41e5eacf5", 65534, 65534),
    grafana: pinned("grafana/grafana", "11.1.0", "079600c9517b678c10cda6006b4487d3174512fd4c6cface37df7822756ed7a5", 472, 0),
    pushgateway: pinned("prom/pushgateway", "v1.9.0", "98a458415f8f5afcfd45622d289a0aa67063563bec0f90d598ebc76783571936", 65534, 65534),
} as const satisfies Record<string, PinnedImage>;

/**
 * The AWS CLI image the Kubernetes backup CronJob uploads with (`redis-backup.sh upload`, `aws s3 cp`), unless
 * `redis:backup.uploadImage` names another. It has no unprivileged account of its own: the CronJob runs it as
 * the engine image's account (so it reads the files the dump wrote), with `HOME=/tmp`; `uid`/`gid` below are
 * that of `nobody`, for anyone running it alone.
 *
 * `amazon/aws-cli:2.17.0@sha256:643507c1…ed80d73` is pinned, tag and digest together, in about ten places across
 * at least three unrelated projects found through a code search (an image mirror script and a Go constant of a
 * Kubernetes installer, a data platform's upload wrapper, a deployment runbook's `docker run`). 2.17 predates
 * the CLI's default request checksums (2.23), which many S3-compatible stores refuse. Verify before relying on it.
 */
export const AWS_CLI_IMAGE: PinnedImage = pinned("amazon/aws-cli", "2.17.0", "643507c10ada7964ca6157b3d799f030b90577643da9955d319a77399ed80d73", 65534, 65534);

/**
 * The Envoy image of the optional cluster proxy (`redis:selfhosted.proxy`, docs/proxy.md). The image's
 * entrypoint drops to the `envoy` account, uid and gid 101, which the containers here run as from the start.
 *
 * `envoyproxy/envoy:v1.38.0@sha256:8146b97e…901fcbdf` was cross-checked in public sources only (a code search,
 * no registry query): pinned tag and digest together in a Go end-to-end test and a Makefile of one project,
 * a Python harness and benchmark notes of another, and an image licence table listing the same digest.
 * Verify before relying on it.
 */
export const ENVOY_IMAGE: PinnedImage = pinned("envoyproxy/envoy", "v1.38.0", "8146b97ee61a42cd216514709e4e3198af75f014974e3d9f310aef9c901fcbdf", 101, 101);

/**
 * The pinned image of an engine version.
 *
 * @throws Error naming the engine and version, and the versions that have an image, when there is none.
 */
export function imageFor(engine: { name: EngineName; version: string }): PinnedImage {
    const byVersion = ENGINE_IMAGES[engine.name];
    const image = byVersion === undefined ? undefined : byVersion[engine.version];
    if (image === undefined) {
        const known = byVersion === undefined ? [] : Object.keys(byVersion);
        throw new Error(`no pinned image for engine ${engine.name} ${engine.version}: images exist for ${engine.name} ${known.join(", ") || "(none)"}`);
    }
    return image;
}

/** Every pinned image this project runs, engines first, then the exporter, the monitoring stack, the backup upload and the proxy. */
export function allPinnedImages(): PinnedImage[] {
    return [...Object.values(ENGINE_IMAGES.redis), ...Object.values(ENGINE_IMAGES.valkey), EXPORTER_IMAGE, ...Object.values(MONITORING_IMAGES), AWS_CLI_IMAGE, ENVOY_IMAGE];
}
