import { strict as assert } from "node:assert";
import { Parser } from "tar";
import { ofType } from "../../tools/offline/mockRuntime";
import { runStackOffline } from "../../tools/offline/stackRun";
import { drillVariant } from "../../tools/docker/drill";
import { demultiplex } from "../../tools/docker/engineApi";
import { envValue } from "../../tools/docker/engineDeployment";
import { DEV_CLUSTER_VARIANT, variantConfig } from "../../tools/docker/plan";
import { containerPlan, goDurationNanos, networkBody, uploadMode, uploadTar, volumeBody } from "../../tools/docker/providerSpec";
import { extensionLines, randomPassword, subjectAltName, subjectArg } from "../../tools/docker/realMaterial";
import { STANDIN_SKIPPED, standinImages, standinTag } from "../../tools/docker/standins";
import { ENGINE_IMAGES, MONITORING_IMAGES } from "../../components/selfhosted/images";

/** The pure parts of the Docker engine applier (tools/docker): what the engine suites rely on, without an engine. */
describe("Docker engine applier (pure parts)", function () {
    this.timeout(30000);
    let run: Awaited<ReturnType<typeof runStackOffline>>;
    before(async () => {
        run = await runStackOffline("dev");
    });

    it("parses Go durations as the provider does for health checks", () => {
        assert.equal(goDurationNanos("5s"), 5e9);
        assert.equal(goDurationNanos("2m0s"), 120e9);
        assert.equal(goDurationNanos("1h30m"), 5400e9);
        assert.equal(goDurationNanos("500ms"), 5e8);
        assert.throws(() => goDurationNanos("5 seconds"), /not a Go duration/);
    });

    it("gives uploads the provider's modes: permissions first, else 0744 executable, else 0644", () => {
        assert.equal(uploadMode({ permissions: "0440" }), 0o440);
        assert.equal(uploadMode({ executable: true }), 0o744);
        assert.equal(uploadMode({}), 0o644);
        assert.throws(() => uploadMode({ permissions: "rw-r-----" }), /not an octal mode/);
    });

    it("packs one upload as a single-file tar at its path, with mode, owner and group", async () => {
        const tar = uploadTar({ file: "/etc/redis/passwords/monitor", content: "s3cret\n", mode: 0o440, uid: 0, gid: 1000 });
        assert.equal(tar.length % 512, 0);
        const entries: { path: string; mode: number; uid: number; gid: number; body: string }[] = [];
        await new Promise<void>((resolve, reject) => {
            const parser = new Parser({
                onReadEntry: (entry) => {
                    let body = "";
                    entry.on("data", (chunk: Buffer) => (body += chunk.toString()));
                    entry.on("end", () => entries.push({ path: entry.path, mode: entry.mode ?? -1, uid: entry.uid ?? -1, gid: entry.gid ?? -1, body }));
                },
            });
            parser.on("end", resolve);
            parser.on("error", reject);
            parser.end(tar);
        });
        assert.deepEqual(entries, [{ path: "etc/redis/passwords/monitor", mode: 0o440, uid: 0, gid: 1000, body: "s3cret\n" }]);
    });

    it("translates every container, network and volume of the dev stack, as registered, into engine calls", () => {
        assert.equal(run.status, "ok", run.error);
        const containers = ofType(run.resources, "docker:index/container:Container");
        assert.equal(containers.length, 25);
        const plans = containers.map((container) => containerPlan(container.inputs, { run: "x" }));
        const node = plans.find((plan) => plan.name === "redis-dev-redis-0")!;
        assert.deepEqual(node.body.Entrypoint, ["sh", "/etc/redis/scripts/redis-start.sh"]);
        assert.equal(node.body.HostConfig.NetworkMode, "container:redis-netns-id");
        assert.equal(node.body.HostConfig.PidMode, "container:redis-netns-id");
        assert.deepEqual(node.body.HostConfig.Binds, ["redis-dev-redis-0-data:/data", "redis-dev-redis-0-acl:/etc/redis/acl:ro", "redis-dev-redis-0-passwords:/etc/redis/passwords:ro", "redis-dev-redis-0-tls:/etc/redis/tls:ro"]);
        assert.deepEqual(node.body.Volumes, { "/etc/redis": {} });
        assert.equal(node.body.HostConfig.Memory, 512 * 1024 * 1024);
        assert.equal(node.body.HostConfig.NanoCpus, 1e9);
        assert.deepEqual(node.body.HostConfig.RestartPolicy, { Name: "unless-stopped", MaximumRetryCount: 0 });
        assert.deepEqual(node.body.HostConfig.CapDrop, ["ALL"]);
        assert.deepEqual(node.body.Healthcheck.Interval, 5e9);
        assert.equal(node.body.Labels.run, "x");
        assert.equal(node.wait, true);
        assert.equal(node.waitTimeoutSeconds, 180);
        assert.ok(node.uploads.every((upload) => upload.mode === 0o440 && upload.uid === 0 && upload.gid === 1000));
        const holder = plans.find((plan) => plan.name === "redis-dev-netns")!;
        assert.deepEqual(holder.body.HostConfig.PortBindings["7000/tcp"], [{ HostIp: "127.0.0.1", HostPort: "7000" }]);
        assert.deepEqual(holder.networks[0].name, "redis-dev");
        assert.ok(holder.networks[0].aliases.includes("redis-dev-sentinel-2"));
        const writer = plans.find((plan) => plan.name === "redis-dev-redis-0-files")!;
        assert.deepEqual([writer.attach, writer.mustRun, writer.body.HostConfig.NetworkMode], [true, false, "none"]);
        for (const network of ofType(run.resources, "docker:index/network:Network")) {
            assert.equal(networkBody(network.inputs).Driver, "bridge");
        }
        for (const volume of ofType(run.resources, "docker:index/volume:Volume")) {
            assert.match(String(volumeBody(volume.inputs).Name), /^redis-dev-/);
        }
    });

    it("refuses a container input it does not reproduce, naming it", () => {
        assert.throws(() => containerPlan({ name: "c", image: "i", privileged: true }), /container c: input privileged is not reproduced/);
        assert.throws(() => volumeBody({ name: "v", driverOpts: {} }), /volume v: input driverOpts/);
    });

    it("has a stand-in for every image the dev stack pins but Grafana, which is skipped with a reason", () => {
        const pinned = ofType(run.resources, "docker:index/remoteImage:RemoteImage").map((image) => String(image.inputs.name));
        const covered = new Set(standinImages().map((image) => image.ref));
        assert.deepEqual(pinned.filter((ref) => !covered.has(ref)), [MONITORING_IMAGES.grafana.ref]);
        assert.ok(pinned.filter((ref) => !covered.has(ref)).every((ref) => STANDIN_SKIPPED[ref] !== undefined), "every image without a stand-in is skipped with a reason");
        assert.equal(standinTag("redis:7.2.5-alpine@sha256:abc"), "redis:7.2.5-alpine");
        assert.ok(standinImages().some((image) => image.tag === "redis:7.0.15-alpine"), "the version-exact engine for the cluster variant");
        const engineRefs = [...Object.values(ENGINE_IMAGES.redis), ...Object.values(ENGINE_IMAGES.valkey)].map((image) => image.ref);
        assert.deepEqual(engineRefs.filter((ref) => !covered.has(ref)), [], "a stand-in per pinned engine reference, so an engine upgrade finds both images");
    });

    it("maps tls allowedUses and names to openssl arguments, and makes passwords of the registered length and alphabet", () => {
        assert.deepEqual(extensionLines(["cert_signing", "crl_signing", "digital_signature"], true), ["basicConstraints=critical,CA:TRUE", "keyUsage=critical,keyCertSign,cRLSign,digitalSignature"]);
        assert.deepEqual(extensionLines(["digital_signature", "key_encipherment", "server_auth", "client_auth"], false), [
            "basicConstraints=critical,CA:FALSE",
            "keyUsage=critical,digitalSignature,keyEncipherment",
            "extendedKeyUsage=serverAuth,clientAuth",
        ]);
        assert.throws(() => extensionLines(["code_signing"], false), /allowedUses code_signing/);
        assert.equal(subjectAltName(["localhost"], ["127.0.0.1"]), "subjectAltName=DNS:localhost,IP:127.0.0.1");
        assert.equal(subjectAltName([], []), undefined);
        assert.equal(subjectArg({ commonName: "redis-0", organization: "a/b" }), "/O=a\\/b/CN=redis-0");
        const password = randomPassword({ length: 32, special: false });
        assert.match(password, /^[A-Za-z0-9]{32}$/);
        assert.notEqual(password, randomPassword({ length: 32, special: false }));
    });

    it("builds the cluster variant's config from the dev stack file", () => {
        const config = variantConfig({ "redis:selfhosted": JSON.stringify({ topology: "sentinel", replicas: 2, sentinels: 3 }) }, DEV_CLUSTER_VARIANT);
        const selfhosted = JSON.parse(config["redis:selfhosted"]);
        assert.deepEqual([selfhosted.topology, selfhosted.shards, selfhosted.replicas, selfhosted.sentinels], ["cluster", 3, undefined, undefined]);
        assert.equal(JSON.parse(config["redis:monitoring"]).enabled, false);
        assert.equal(drillVariant("sentinel", "standard").selfhosted?.failover, "standard");
        assert.equal(envValue(["A=1", "B=x=y"], "B"), "x=y");
    });

    it("demultiplexes the engine's stdout/stderr frames", () => {
        const frame = (stream: number, text: string) => Buffer.concat([Buffer.from([stream, 0, 0, 0]), Buffer.from([0, 0, 0, text.length]), Buffer.from(text)]);
        assert.equal(demultiplex(Buffer.concat([frame(1, "out "), frame(2, "err")])), "out err");
        assert.equal(demultiplex(Buffer.from("plain")), "plain");
    });
});
