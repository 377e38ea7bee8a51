import { strict as assert } from "node:assert";
import { SUPPORTED_ENGINE_VERSIONS } from "../../components/redisconf/engines";
import { allPinnedImages, ENGINE_IMAGES, EXPORTER_IMAGE, imageFor, PINNED_IMAGE_PATTERN } from "../../components/selfhosted/images";

describe("pinned images", () => {
    it("has an image pinned by exact tag and digest for every self-hosted engine version", () => {
        for (const name of ["redis", "valkey"] as const) {
            for (const version of SUPPORTED_ENGINE_VERSIONS.selfhosted[name]) {
                const image = imageFor({ name, version });
                assert.match(image.ref, PINNED_IMAGE_PATTERN, `${name} ${version}`);
                assert.equal(image.ref, `${image.repository}:${image.tag}@${image.digest}`);
                assert.ok(image.tag.startsWith(`${version}.`), `${image.ref} is a ${version} patch release, not a floating tag`);
                assert.equal(image.repository, name === "redis" ? "redis" : "valkey/valkey");
                assert.equal(image.uid, 999, "the official images' unprivileged account");
            }
            assert.deepEqual(Object.keys(ENGINE_IMAGES[name]), [...SUPPORTED_ENGINE_VERSIONS.selfhosted[name]], `no image for an unsupported ${name} version`);
        }
    });

    it("pins the exporter the same way", () => {
        assert.match(EXPORTER_IMAGE.ref, PINNED_IMAGE_PATTERN);
        assert.equal(EXPORTER_IMAGE.repository, "oliver006/redis_exporter");
        assert.match(EXPORTER_IMAGE.tag, /^v\d+\.\d+\.\d+$/);
    });

    it("uses distinct digests and the pattern refuses floating references", () => {
        const digests = allPinnedImages().map((image) => image.digest);
        assert.equal(new Set(digests).size, digests.length);
        for (const bad of ["redis:7.2", "redis:7.2.5-alpine", "redis@sha256:" + "a".repeat(64), "redis:7.2.5@sha256:abc", "redis:latest@sha256:" + "A".repeat(64)]) {
            assert.doesNotMatch(bad, PINNED_IMAGE_PATTERN, bad);
        }
    });

    it("names the engine, version and known versions when there is no image", () => {
        assert.throws(() => imageFor({ name: "redis", version: "6.2" }), /no pinned image for engine redis 6\.2: images exist for redis 7\.0, 7\.2, 7\.4, 8\.0, 8\.2, 8\.4/);
    });
});
