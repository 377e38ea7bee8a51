import { strict as assert } from "node:assert";
import { connect } from "node:net";
import { networkInterfaces } from "node:os";
import type { EngineDeployment } from "../../tools/docker/engineDeployment";
import { lostWrites, WriteLoad } from "../../tools/harness/load";

/** Assertions both Docker engine suites make. */

/** Every applied container is as `pulumi up` leaves it: one-shots exited 0, health-checked ones healthy, the rest running. */
export async function assertAllUp(deployment: EngineDeployment, expectedSkipped: string[]): Promise<void> {
    const skipped: string[] = [];
    for (const [name, entry] of deployment.applied.containers()) {
        if (entry.skipped !== undefined) {
            skipped.push(name);
            continue;
        }
        const inspected = await deployment.engine.inspect(entry.id as string);
        if (entry.plan?.attach === true) {
            assert.equal(entry.exitCode, 0, `${name} exited ${entry.exitCode}: ${entry.logs ?? ""}`);
            continue;
        }
        assert.equal(inspected.State.Running, true, `${name} runs`);
        assert.equal(inspected.HostConfig.RestartPolicy.Name, "unless-stopped", `${name} restart policy`);
        if (inspected.Config.Healthcheck !== undefined && inspected.Config.Healthcheck !== null) {
            assert.equal(inspected.State.Health?.Status, "healthy", `${name} is healthy`);
        }
    }
    assert.deepEqual(skipped.sort(), [...expectedSkipped].sort(), "containers skipped for want of a stand-in image");
}

/** Every published port of the deployment, from the engine: `ip:port` per container. */
export async function publishedPorts(deployment: EngineDeployment): Promise<{ container: string; hostIp: string; hostPort: number }[]> {
    const ports: { container: string; hostIp: string; hostPort: number }[] = [];
    for (const [name, entry] of deployment.applied.containers()) {
        if (entry.id === undefined) {
            continue;
        }
        const inspected = await deployment.engine.inspect(entry.id);
        for (const bindings of Object.values((inspected.NetworkSettings.Ports ?? {}) as Record<string, { HostIp: string; HostPort: string }[] | null>)) {
            for (const binding of bindings ?? []) {
                ports.push({ container: name, hostIp: binding.HostIp, hostPort: Number(binding.HostPort) });
            }
        }
    }
    return ports;
}

/** Connecting to `host:port` is refused (nothing listens there for this host address). */
export function refused(host: string, port: number): Promise<boolean> {
    return new Promise((resolve) => {
        const socket = connect({ host, port, timeout: 2000 });
        socket.on("connect", () => {
            socket.destroy();
            resolve(false);
        });
        socket.on("timeout", () => {
            socket.destroy();
            resolve(true);
        });
        socket.on("error", () => resolve(true));
    });
}

/** What a plain-text `PING` on a port gets back within 2 s (empty when the server closes or stays silent). */
export function plainPing(port: number): Promise<string> {
    return new Promise((resolve) => {
        let answer = "";
        const socket = connect({ host: "127.0.0.1", port }, () => socket.write("PING\r\n"));
        const done = () => {
            socket.destroy();
            resolve(answer);
        };
        socket.setTimeout(2000, done);
        socket.on("data", (chunk) => (answer += chunk.toString("latin1")));
        socket.on("close", done);
        socket.on("error", done);
    });
}

/** A non-loopback IPv4 address of this machine, if it has one. */
export function externalAddress(): string | undefined {
    return Object.values(networkInterfaces())
        .flat()
        .find((address) => address !== undefined && address.family === "IPv4" && !address.internal && !address.address.startsWith("172.17."))?.address;
}

/** Published ports bind 127.0.0.1 only, each Redis port speaks TLS only, and no port answers on another address. */
export async function assertLoopbackTlsOnly(deployment: EngineDeployment, expectedPorts: number[]): Promise<void> {
    const ports = await publishedPorts(deployment);
    assert.deepEqual(ports.map((port) => port.hostPort).sort(), [...expectedPorts].sort(), "the published ports");
    assert.deepEqual([...new Set(ports.map((port) => port.hostIp))], ["127.0.0.1"], "every published port binds 127.0.0.1 only");
    const external = externalAddress();
    for (const port of ports) {
        if (external !== undefined) {
            assert.ok(await refused(external, port.hostPort), `${external}:${port.hostPort} must not answer`);
        }
    }
    for (const node of deployment.nodes()) {
        const answer = await plainPing(node.port);
        assert.doesNotMatch(answer, /PONG|NOAUTH|-ERR/, `${node.container} answered plain text on ${node.port}`);
        assert.equal(await deployment.command(node.port, ["PING"]), "PONG", `${node.container} answers over TLS on ${node.port}`);
    }
}

/** Tears the deployment down and checks that no container, network or volume (named or anonymous) is left. */
export async function assertTeardownLeavesNothing(deployment: EngineDeployment): Promise<void> {
    const anonymous: string[] = [];
    for (const entry of deployment.applied.containers().values()) {
        if (entry.id !== undefined) {
            const mounts = (await deployment.engine.inspect(entry.id)).Mounts as { Type: string; Name?: string }[];
            anonymous.push(...mounts.filter((mount) => mount.Type === "volume" && mount.Name !== undefined && /^[0-9a-f]{64}$/.test(mount.Name)).map((mount) => mount.Name as string));
        }
    }
    assert.ok(anonymous.length > 0, "the containers carry anonymous volumes (their uploaded files)");
    await deployment.destroy();
    const label = `redisplatform.deployment=redis-${deployment.plan.stack}`;
    assert.deepEqual((await deployment.engine.listContainers(label)).map((container) => container.Names[0]), [], "containers left");
    assert.deepEqual((await deployment.engine.listNetworks(label)).map((network) => network.Name), [], "networks left");
    assert.deepEqual((await deployment.engine.listVolumes(label)).map((volume) => volume.Name), [], "named volumes left");
    const left = [];
    for (const name of anonymous) {
        if (await deployment.engine.volumeExists(name)) {
            left.push(name);
        }
    }
    assert.deepEqual(left, [], "anonymous volumes left");
}

/** The load acknowledged a fair number of writes, and every one of them reads back through the stack's client. */
export async function assertNoAcknowledgedWriteLost(deployment: EngineDeployment, load: WriteLoad): Promise<void> {
    const acked = load.acknowledged();
    assert.ok(acked.length > 100, `acknowledged writes: ${acked.length}`);
    const reader = deployment.client("app");
    assert.deepEqual(await lostWrites(acked, (keys) => Promise.all(keys.map((key) => reader.get(key)))), [], "acknowledged writes lost");
}
