/**
 * Whether a container image reference is pinned: by digest (`name@sha256:...`), by image id
 * (`sha256:...`, what Docker's RemoteImage hands a container), or by an exact version tag such as `7.2.5`
 * or `v1.62.0-alpine`. Returns what is wrong, or `undefined` when it is pinned.
 */
export function imagePinProblem(image: unknown): string | undefined {
    if (typeof image !== "string" || image.trim() === "") {
        return "has no image";
    }
    if (/@sha256:[0-9a-f]{64}$/.test(image) || /^sha256:[0-9a-f]{64}$/.test(image)) {
        return undefined;
    }
    const lastSegment = image.slice(image.lastIndexOf("/") + 1);
    const colon = lastSegment.indexOf(":");
    if (colon < 0) {
        return `image "${image}" has no tag, which means latest: pin a digest or an exact version`;
    }
    const tag = lastSegment.slice(colon + 1);
    if (tag === "latest") {
        return `image "${image}" uses latest: pin a digest or an exact version`;
    }
    if (!/^v?[0-9]+\.[0-9]+\.[0-9]+([-+._][0-9A-Za-z.+_-]+)?$/.test(tag)) {
        return `image "${image}" uses the floating tag "${tag}": pin a digest or an exact version such as 7.2.5`;
    }
    return undefined;
}
