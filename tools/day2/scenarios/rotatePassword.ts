import { aclPasswordHash } from "../../../components/redisconf/acl";
import { sentinelClient } from "../../harness/clients";
import { asDeploymentConfig, localStackConfig } from "../../harness/config";
import { lostWrites } from "../../harness/load";
import { LocalDeployment, parseInfo, sleep, waitFor } from "../../harness/localDeployment";
import { addressOf, canLogIn, commandAs } from "../admin";
import { CheckList } from "../checks";
import { newPassword, PasswordsByUser, writeCredentialFiles } from "../files";
import { primaryOps } from "../ops";
import { logMarks, readReloaderLog, startReloaders, waitForLogged } from "../reloader";
import { day2BaseDir } from "../runDir";
import type { Day2Options, Day2Outcome } from "../scenario";
import { Traffic } from "../traffic";

/** The users this scenario rotates: an application user and every system user a sentinel deployment logs in with. */
export const ROTATED_USERS = ["app", "admin", "replication", "sentinel"] as const;

/**
 * Password rotation on Sentinel (1 primary, 1 replica, 3 sentinels) with the reload sidecars running and a
 * client writing through the sentinels the whole time.
 *
 * Step one (generation + 1, keepPrevious): new passwords for every rotated user, the files hold both hashes;
 * the client stays on the old password and is forced to reconnect with it. Step two (keepPrevious off): the
 * old hashes are retired; the client, moved to the new password, is forced to reconnect again. The old
 * passwords must then be refused, replication and sentinels must reconnect with the new ones, and no
 * command may fail.
 */
export async function rotatePassword(options: Day2Options = {}): Promise<Day2Outcome> {
    const progress = options.progress ?? (() => undefined);
    const checks = new CheckList(progress);
    const config = asDeploymentConfig(localStackConfig({ topology: "sentinel", replicas: 1, sentinels: 3 }));
    const deployment = await LocalDeployment.start({ config, progress, keepDir: options.keepDir, baseDir: day2BaseDir() });
    const clients: { disconnect(): void }[] = [];
    let traffic: Traffic | undefined;
    try {
        const names = deployment.rendered.nodes.map((node) => node.node.name);
        const dataNodes = deployment.dataNodeNames;
        const sentinels = deployment.sentinelNames;
        const { topology } = deployment.rendered;
        const old: Record<string, string> = Object.fromEntries(deployment.rendered.users.map((user) => [user.name, deployment.password(user.name)]));
        const fresh: Record<string, string> = Object.fromEntries(ROTATED_USERS.map((user) => [user, newPassword()]));
        const primary = await deployment.sentinelPrimary();
        const primaryAddress = addressOf(deployment, primary);
        const sentinelAddress = addressOf(deployment, sentinels[0]);

        progress("starting the reload sidecars");
        let marks = logMarks(deployment, names);
        startReloaders(deployment);
        await waitForLogged(deployment, new Map([...marks].filter(([node]) => dataNodes.includes(node))), /applied .*users\.acl/);
        await waitForLogged(deployment, new Map([...marks].filter(([node]) => sentinels.includes(node))), /applied the users/);

        const endpoints = topology.sentinels.map((node) => ({ host: node.announceHost, port: node.port }));
        const connect = (password: string) => {
            const client = sentinelClient(endpoints, topology.masterName ?? "", "app", password, deployment.clientTls());
            client.on("error", () => undefined);
            clients.push(client);
            return client;
        };
        const oldClient = connect(old.app);
        traffic = new Traffic("app:day2:password:", primaryOps(oldClient));
        traffic.start();
        progress("client writing on the old password");
        checks.record("the client on the old password is running", await traffic.waitForSuccesses(100));

        const passwords = (keepPrevious: boolean): PasswordsByUser =>
            Object.fromEntries(
                Object.keys(old).map((user) => {
                    const next = fresh[user];
                    return [user, next === undefined ? [old[user]] : keepPrevious ? [next, old[user]] : [next]];
                }),
            );

        progress(`step one: new passwords for ${ROTATED_USERS.join(", ")}, the previous ones kept`);
        marks = logMarks(deployment, names);
        writeCredentialFiles(deployment, passwords(true));
        await waitForLogged(deployment, new Map([...marks].filter(([node]) => dataNodes.includes(node))), /applied .*users\.acl/);
        await waitForLogged(deployment, new Map([...marks].filter(([node]) => sentinels.includes(node))), /applied the users/);
        await waitForLogged(deployment, new Map([...marks].filter(([node]) => dataNodes.includes(node))), /masterauth follows/);
        await waitForLogged(deployment, new Map([...marks].filter(([node]) => sentinels.includes(node))), /auth-pass and sentinel-pass follow/);
        progress("step one applied by every sidecar");
        for (const [label, address] of [["the primary", primaryAddress], ["a sentinel", sentinelAddress]] as const) {
            checks.record(`after step one the old app password logs in to ${label}`, (await canLogIn(deployment, address, "app", old.app)).ok);
            checks.record(`after step one the new app password logs in to ${label}`, (await canLogIn(deployment, address, "app", fresh.app)).ok);
        }
        const killedOld = Number(await commandAs(deployment, primaryAddress, "admin", fresh.admin, ["CLIENT", "KILL", "USER", "app"]));
        checks.record("the client on the old password was disconnected and came back", killedOld >= 1 && (await traffic.waitForSuccesses(100)));

        progress("moving the client to the new password");
        const newClient = connect(fresh.app);
        traffic.use(primaryOps(newClient));
        checks.record("the client on the new password is running", await traffic.waitForSuccesses(100));
        oldClient.disconnect();

        progress("step two: the previous passwords retired");
        marks = logMarks(deployment, names);
        writeCredentialFiles(deployment, passwords(false));
        await waitForLogged(deployment, new Map([...marks].filter(([node]) => dataNodes.includes(node))), /applied .*users\.acl/);
        await waitForLogged(deployment, new Map([...marks].filter(([node]) => sentinels.includes(node))), /applied the users/);
        progress("step two applied by every sidecar");
        const killedNew = Number(await commandAs(deployment, primaryAddress, "admin", fresh.admin, ["CLIENT", "KILL", "USER", "app"]));
        checks.record("the client on the new password was disconnected and came back", killedNew >= 1 && (await traffic.waitForSuccesses(100)));
        for (const [label, address] of [["the primary", primaryAddress], ["a sentinel", sentinelAddress]] as const) {
            const refused = await canLogIn(deployment, address, "app", old.app);
            checks.record(`after step two the old app password is refused by ${label}`, !refused.ok && /WRONGPASS/.test(refused.error ?? ""), refused.error);
            checks.record(`after step two the old admin password is refused by ${label}`, !(await canLogIn(deployment, address, "admin", old.admin)).ok);
        }

        progress("breaking the replication and sentinel links: they must come back with the new passwords");
        await commandAs(deployment, primaryAddress, "admin", fresh.admin, ["CLIENT", "KILL", "TYPE", "replica"]);
        await commandAs(deployment, primaryAddress, "admin", fresh.admin, ["CLIENT", "KILL", "USER", "sentinel"]);
        for (const replica of dataNodes.filter((name) => name !== primary)) {
            const linked = await waitFor(`${replica} replicates again`, async () => {
                const info = parseInfo(String(await commandAs(deployment, addressOf(deployment, replica), "admin", fresh.admin, ["INFO", "replication"])));
                return info.master_link_status === "up";
            }, 30000, 500).then(() => true, () => false);
            checks.record(`${replica} re-authenticated its replication link with the new password`, linked);
        }
        await sleep(2000);
        for (const sentinel of sentinels) {
            const healthy = await waitFor(`${sentinel} sees the primary`, async () => {
                const fields = (await commandAs(deployment, addressOf(deployment, sentinel), "admin", fresh.admin, ["SENTINEL", "master", topology.masterName ?? ""])) as string[];
                const state = Object.fromEntries(fields.flatMap((field, index) => (index % 2 === 0 ? [[field, fields[index + 1]]] : [])));
                return state.flags === "master" && Number(state["num-slaves"]) >= 1;
            }, 30000, 500).then(() => true, () => false);
            checks.record(`${sentinel} re-authenticated to the primary with the new sentinel password`, healthy);
        }
        checks.record("the client kept running after the links broke", await traffic.waitForSuccesses(100));

        await traffic.stop();
        const lost = await lostWrites(traffic.acked, (keys) => newClient.mget(...keys));
        const secrets = [...Object.values(old), ...Object.values(fresh)].flatMap((password) => [password, aclPasswordHash(password)]);
        const leaked = names.filter((name) => secrets.some((secret) => readReloaderLog(deployment, name).includes(secret)));
        checks.record("no sidecar log holds a password or a password hash", leaked.length === 0, leaked.length ? `in the logs of ${leaked.join(", ")}` : undefined);
        if (traffic.errors.length > 0) {
            progress(`client errors: ${traffic.errors.join(" | ")}`);
        }
        return {
            result: { scenario: "rotate-password", failed_commands: traffic.failed, acked_writes: { sent: traffic.acked.length, lost: lost.length } },
            checks: checks.checks,
        };
    } finally {
        await traffic?.stop();
        for (const client of clients) {
            client.disconnect();
        }
        await deployment.destroy();
    }
}
