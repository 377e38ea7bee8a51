import { ENGINE_IMAGES, ENVOY_IMAGE, EXPORTER_IMAGE, MONITORING_IMAGES, PinnedImage } from "../../components/selfhosted/images";

/**
 * The local stand-in images the Docker engine tests run in place of the pinned registry images (no registry is
 * reachable here). Each is built by `scripts/docker-images.sh` from `images/standin/<recipe>.Dockerfile` on a
 * Debian bookworm base and tagged `repository:tag` of the pinned reference; the digest cannot be reproduced
 * locally, so the applier resolves a pinned `repository:tag@sha256:...` to that tag (see docs/docker.md).
 */

/** The recipe (`images/standin/<recipe>.Dockerfile`) that builds a stand-in. */
export type StandinRecipe = "engine" | "exporter" | "prometheus" | "alertmanager" | "pushgateway";

/** One stand-in image to build. */
export interface StandinImage {
    /** The pinned reference it stands in for. */
    ref: string;
    /** The local tag, `repository:tag` of the pinned reference. */
    tag: string;
    recipe: StandinRecipe;
    uid: number;
    gid: number;
}

/** Pinned images with no stand-in, and why: the applier skips their containers and says so. */
export const STANDIN_SKIPPED: Readonly<Record<string, string>> = {
    [MONITORING_IMAGES.grafana.ref]: "Grafana has no Debian package, so no stand-in can be built from the Debian archive; its container is not started (its provisioning files are checked under the mock runtime)",
    [ENVOY_IMAGE.ref]:
        "Envoy has no Debian bookworm package and building it needs Bazel and the network, so no stand-in can be built; the proxy container is not started (its envoy.yaml is checked against Envoy's API protos, see docs/proxy.md)",
};

/** The local tag a pinned reference resolves to: the reference without its digest. */
export function standinTag(ref: string): string {
    const at = ref.indexOf("@");
    return at === -1 ? ref : ref.slice(0, at);
}

function standin(image: PinnedImage, recipe: StandinRecipe): StandinImage {
    return { ref: image.ref, tag: standinTag(image.ref), recipe, uid: image.uid, gid: image.gid };
}

/**
 * The engine whose version Debian bookworm carries (Redis 7.0.15): its stand-in is version-exact, so the cluster
 * variant runs it (its config uses no directive newer than 7.0).
 */
export const VERSION_EXACT_ENGINE = { name: "redis", version: "7.0" } as const;

/**
 * Every stand-in: one per pinned engine reference (the same recipe under each tag, so the Docker stacks can run
 * any supported version and an engine upgrade finds both its old and its new image; each runs Debian's Redis
 * 7.0.15, see docs/docker.md), then the exporter, Prometheus, Alertmanager and the Pushgateway.
 */
export function standinImages(): StandinImage[] {
    const engines = [...Object.values(ENGINE_IMAGES.redis), ...Object.values(ENGINE_IMAGES.valkey)];
    return [
        ...engines.map((image) => standin(image, "engine")),
        standin(EXPORTER_IMAGE, "exporter"),
        standin(MONITORING_IMAGES.prometheus, "prometheus"),
        standin(MONITORING_IMAGES.alertmanager, "alertmanager"),
        standin(MONITORING_IMAGES.pushgateway, "pushgateway"),
    ];
}

const USAGE = "usage: tsx tools/docker/standins.ts [--json]\n  Lists the stand-in images to build, one per line: <recipe> <tag> <uid> <gid> (or JSON with --json).";

if (require.main === module) {
    const args = process.argv.slice(2);
    if (args.includes("--help")) {
        console.log(USAGE);
    } else if (args.some((arg) => arg !== "--json")) {
        console.error(USAGE);
        process.exit(2);
    } else if (args.includes("--json")) {
        console.log(JSON.stringify(standinImages(), undefined, 2));
    } else {
        for (const image of standinImages()) {
            console.log(`${image.recipe} ${image.tag} ${image.uid} ${image.gid}`);
        }
    }
}
