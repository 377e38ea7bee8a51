import { X509Certificate } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { caRolloverFiles } from "../../../components/redisconf/caBundle";
import { generateCa } from "../../harness/certs";
import { ClientTls, sentinelClient } from "../../harness/clients";
import { asDeploymentConfig, localStackConfig } from "../../harness/config";
import { lostWrites } from "../../harness/load";
import { LocalDeployment, waitFor } from "../../harness/localDeployment";
import { addressOf, canLogIn } from "../admin";
import { issueCertificate, servedCertificate } from "../certs";
import { CheckList } from "../checks";
import { writeAtomic } from "../files";
import { primaryOps } from "../ops";
import { logMarks, startReloaders, waitForLogged } from "../reloader";
import { RestartPolicy } from "../restartPolicy";
import { day2BaseDir } from "../runDir";
import type { Day2Options, Day2Outcome } from "../scenario";
import { Traffic } from "../traffic";

/** What one rotation step replaces. */
interface TlsChange {
    label: string;
    caPem?: string;
    server?: { certFile: string; keyFile: string };
    client?: { certFile: string; keyFile: string };
}

/**
 * Certificate rotation on Sentinel with mTLS (1 primary, 1 replica, 3 sentinels), reload sidecars running
 * and a client writing through the sentinels the whole time:
 *
 * 1. renewal: new server certificates from the same CA, reloaded with `CONFIG SET` (sentinels, which cannot
 *    reload TLS, are restarted one at a time by their sidecars);
 * 2. CA rollover, `trust-both`: every node trusts a bundle of the old and the new CA; the client moves to
 *    the bundle and a client certificate of the new CA;
 * 3. `serve-new`: server and client certificates from the new CA; the client moves to trusting only the new CA;
 * 4. `retire-old`: only the new CA is trusted; the old client certificate and the old CA no longer work.
 *
 * After every step the client's connections and the replication links are broken on purpose, so each one
 * reconnects through the new TLS context.
 */
export async function rotateCert(options: Day2Options = {}): Promise<Day2Outcome> {
    const progress = options.progress ?? (() => undefined);
    const checks = new CheckList(progress);
    const config = asDeploymentConfig(localStackConfig({ topology: "sentinel", replicas: 1, sentinels: 3, mtls: true }));
    const deployment = await LocalDeployment.start({ config, progress, keepDir: options.keepDir, baseDir: day2BaseDir() });
    const policy = new RestartPolicy(deployment, deployment.sentinelNames, progress);
    const clients: { disconnect(): void }[] = [];
    let traffic: Traffic | undefined;
    try {
        const { certs, rendered } = deployment;
        const names = rendered.nodes.map((node) => node.node.name);
        const dataNodes = deployment.dataNodeNames;
        const sentinels = deployment.sentinelNames;
        const primary = await deployment.sentinelPrimary();
        const replicas = dataNodes.filter((name) => name !== primary);
        const pids = dataNodes.map((name) => deployment.supervisor.pid(name));
        const dir = path.join(deployment.root, "day2", "certs");
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        const oldCaPem = readFileSync(certs.caFile, "utf8");
        const original = { caFile: path.join(dir, "old-ca.crt"), clientCertFile: path.join(dir, "old-client.crt"), clientKeyFile: path.join(dir, "old-client.key") };
        copyFileSync(certs.caFile, original.caFile);
        copyFileSync(certs.clientCertFile, original.clientCertFile);
        copyFileSync(certs.clientKeyFile, original.clientKeyFile);

        progress("starting the reload sidecars (sentinels restart themselves on a TLS change)");
        const initial = logMarks(deployment, names);
        startReloaders(deployment, undefined, { tls: "restart", staggerSeconds: 2 });
        await waitForLogged(deployment, new Map([...initial].filter(([node]) => dataNodes.includes(node))), /reloaded the TLS/);
        await waitForLogged(deployment, new Map([...initial].filter(([node]) => sentinels.includes(node))), /applied the users/);
        policy.start();

        const endpoints = rendered.topology.sentinels.map((node) => ({ host: node.announceHost, port: node.port }));
        const connect = (tls: ClientTls) => {
            const client = sentinelClient(endpoints, rendered.topology.masterName ?? "", "app", deployment.password("app"), tls);
            client.on("error", () => undefined);
            clients.push(client);
            return client;
        };
        const oldTls = deployment.clientTls({ caFile: original.caFile, certs: { ...certs, clientCertFile: original.clientCertFile, clientKeyFile: original.clientKeyFile } });
        traffic = new Traffic("app:day2:cert:", primaryOps(connect(oldTls)));
        traffic.start();
        checks.record("the client trusting the old CA is running", await traffic.waitForSuccesses(100));

        let changes = 0;
        const apply = async (change: TlsChange): Promise<void> => {
            changes++;
            progress(`${change.label}: writing the new files`);
            const marks = logMarks(deployment, names);
            if (change.server) {
                writeAtomic(certs.serverCertFile, readFileSync(change.server.certFile, "utf8"));
                writeAtomic(certs.serverKeyFile, readFileSync(change.server.keyFile, "utf8"));
            }
            if (change.client) {
                writeAtomic(certs.clientCertFile, readFileSync(change.client.certFile, "utf8"));
                writeAtomic(certs.clientKeyFile, readFileSync(change.client.keyFile, "utf8"));
            }
            if (change.caPem !== undefined) {
                writeAtomic(certs.caFile, change.caPem, 0o644);
            }
            await waitForLogged(deployment, new Map([...marks].filter(([node]) => dataNodes.includes(node))), /reloaded the TLS/);
            await waitForLogged(deployment, new Map([...marks].filter(([node]) => sentinels.includes(node))), /shutting it down/, 90000);
            await waitFor("every sentinel restarted", async () => sentinels.every((name) => (policy.restarts.get(name) ?? 0) >= changes), 30000, 250);
            await deployment.waitHealthy();
            progress(`${change.label}: applied by every node; breaking the client and replication connections`);
            const killed = Number(await deployment.command(primary, "admin", ["CLIENT", "KILL", "USER", "app"]));
            await deployment.command(primary, "admin", ["CLIENT", "KILL", "TYPE", "replica"]);
            checks.record(`${change.label}: the client reconnected through the new TLS context`, killed >= 1 && (await traffic!.waitForSuccesses(100)));
            for (const replica of replicas) {
                const linked = await waitFor(`${replica} replicates again`, async () => (await deployment.info(replica, "replication")).master_link_status === "up", 30000, 250).then(() => true, () => false);
                checks.record(`${change.label}: ${replica} re-established its TLS replication link`, linked);
            }
        };
        const servedIssuers = async (ca: Buffer, expected: string) => {
            const issuers = await Promise.all(names.map(async (name) => (await servedCertificate(addressOf(deployment, name), ca)).issuer));
            return issuers.every((issuer) => issuer === expected) ? undefined : `served issuers: ${issuers.join(", ")}`;
        };
        const serialOf = (file: string) => new X509Certificate(readFileSync(file)).serialNumber.toUpperCase();

        const renewed = issueCertificate({ caFile: original.caFile, caKeyFile: certs.caKeyFile }, path.join(dir, "renewed"), "server", "server");
        await apply({ label: "renewal (same CA)", server: renewed });
        const serials = await Promise.all(names.map(async (name) => (await servedCertificate(addressOf(deployment, name), Buffer.from(oldCaPem))).serial.toUpperCase()));
        checks.record("renewal: every data node and sentinel serves the renewed certificate", serials.every((serial) => serial === serialOf(renewed.certFile)));

        const newCa = generateCa(path.join(dir, "new-ca"), "redis-day2-ca-2");
        const newCaPem = readFileSync(newCa.caFile, "utf8");
        const newServer = issueCertificate(newCa, path.join(dir, "new-server"), "server", "server");
        const newClient = issueCertificate(newCa, path.join(dir, "new-client"), "client", "client");
        const bundleFile = path.join(dir, "bundle.crt");
        const trustBoth = caRolloverFiles("trust-both", oldCaPem, newCaPem);
        writeAtomic(bundleFile, trustBoth.trustedCaPem, 0o644);
        await apply({ label: "CA rollover, trust-both", caPem: trustBoth.trustedCaPem });
        const newClientTls = (caFile: string) => deployment.clientTls({ caFile, certs: { ...certs, clientCertFile: newClient.certFile, clientKeyFile: newClient.keyFile } });
        checks.record("trust-both: the nodes accept a client certificate of the new CA", (await canLogIn(deployment, addressOf(deployment, primary), "app", deployment.password("app"), newClientTls(bundleFile))).ok);
        const stillOld = await servedIssuers(Buffer.from(oldCaPem), "redis-harness-ca");
        checks.record("trust-both: the nodes still serve certificates of the old CA", stillOld === undefined, stillOld);
        progress("moving the client to the CA bundle and a client certificate of the new CA");
        traffic.use(primaryOps(connect(newClientTls(bundleFile))));
        checks.record("the client trusting both CAs is running", await traffic.waitForSuccesses(100));

        await apply({ label: "CA rollover, serve-new", caPem: caRolloverFiles("serve-new", oldCaPem, newCaPem).trustedCaPem, server: newServer, client: newClient });
        const nowNew = await servedIssuers(Buffer.from(newCaPem), "redis-day2-ca-2");
        checks.record("serve-new: every data node and sentinel serves a certificate of the new CA", nowNew === undefined, nowNew);
        progress("moving the client to trusting only the new CA");
        traffic.use(primaryOps(connect(newClientTls(newCa.caFile))));
        checks.record("the client trusting only the new CA is running", await traffic.waitForSuccesses(100));

        await apply({ label: "CA rollover, retire-old", caPem: caRolloverFiles("retire-old", oldCaPem, newCaPem).trustedCaPem });
        const oldClientCert = await canLogIn(deployment, addressOf(deployment, primary), "app", deployment.password("app"), { caFile: newCa.caFile, certs: { ...certs, clientCertFile: original.clientCertFile, clientKeyFile: original.clientKeyFile } });
        checks.record("retire-old: a client certificate of the old CA is refused", !oldClientCert.ok, oldClientCert.ok ? "it was accepted" : undefined);
        const oldTrust = await canLogIn(deployment, addressOf(deployment, primary), "app", deployment.password("app"), { caFile: original.caFile, certs: { ...certs, clientCertFile: newClient.certFile, clientKeyFile: newClient.keyFile } });
        checks.record("retire-old: a client trusting only the old CA cannot verify the nodes", !oldTrust.ok, oldTrust.ok ? "it connected" : undefined);
        checks.record("no data node was restarted (same processes from start to end)", dataNodes.every((name, index) => deployment.supervisor.pid(name) === pids[index]));
        checks.record("every sentinel was restarted by its sidecar once per change", sentinels.every((name) => policy.restarts.get(name) === 4), JSON.stringify(Object.fromEntries(policy.restarts)));

        await traffic.stop();
        const reader = connect(newClientTls(newCa.caFile));
        const lost = await lostWrites(traffic.acked, (keys) => reader.mget(...keys));
        if (traffic.errors.length > 0) {
            progress(`client errors: ${traffic.errors.join(" | ")}`);
        }
        return {
            result: { scenario: "rotate-cert", failed_commands: traffic.failed, acked_writes: { sent: traffic.acked.length, lost: lost.length } },
            checks: checks.checks,
        };
    } finally {
        policy.stop();
        await traffic?.stop();
        for (const client of clients) {
            client.disconnect();
        }
        await deployment.destroy();
    }
}
