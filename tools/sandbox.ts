import { parseArgs } from "node:util";
import type { LocalConfigOptions } from "./harness/config";
import { asDeploymentConfig, localStackConfig, stackConfig } from "./harness/config";
import { installedEngine } from "./harness/binaries";
import { LocalDeployment } from "./harness/localDeployment";

/**
 * `npm run sandbox -- --stack <name>` (or `--topology sentinel|cluster|standalone`): runs the self-hosted
 * topology the stack would deploy as local processes with its rendered files, prints how to connect, and
 * stops everything on Ctrl-C. Passwords stay in their files unless `--show-passwords` is given.
 */

const USAGE = "usage: npm run sandbox -- --stack <name> | --topology standalone|sentinel|cluster [--failover standard|fast] [--show-passwords] [--keep]";

async function main(): Promise<void> {
    const { values } = parseArgs({
        options: {
            stack: { type: "string" },
            topology: { type: "string" },
            failover: { type: "string" },
            "show-passwords": { type: "boolean", default: false },
            keep: { type: "boolean", default: false },
            help: { type: "boolean", default: false },
        },
    });
    if (values.help || (!values.stack && !values.topology)) {
        console.log(USAGE);
        process.exitCode = values.help ? 0 : 2;
        return;
    }
    const config = values.stack
        ? stackConfig(values.stack)
        : localStackConfig({ topology: values.topology as LocalConfigOptions["topology"], failover: values.failover as LocalConfigOptions["failover"] });
    const deploymentConfig = asDeploymentConfig(config);
    const installed = installedEngine();
    if (config.engine && (config.engine.name !== installed.name || config.engine.version !== installed.version)) {
        console.log(`note: the stack asks for ${config.engine.name} ${config.engine.version}; rendering for the installed ${installed.name} ${installed.version}`);
    }
    const started = Date.now();
    const deployment = await LocalDeployment.start({
        config: deploymentConfig,
        baseDir: undefined,
        keepDir: values.keep,
        progress: (message) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`),
    });
    const { topology } = deployment.rendered;
    const certs = deployment.certs;
    const tls = deployment.clientTls().enabled;
    const tlsArgs = tls ? `--tls --cacert ${certs.caFile} --cert ${certs.clientCertFile} --key ${certs.clientKeyFile} ` : "";
    console.log(`\n${topology.kind} topology ready in ${((Date.now() - started) / 1000).toFixed(1)} s (${deployment.rendered.engine.name} ${deployment.rendered.engine.version}, ${deploymentConfig.selfhosted.failover} timing)`);
    for (const node of [...topology.dataNodes, ...topology.sentinels]) {
        console.log(`  ${node.name.padEnd(11)} ${node.announceHost}:${node.port}${node.busPort ? ` (bus ${node.busPort})` : ""}`);
    }
    console.log(`\nfiles:      ${deployment.root}`);
    if (tls) {
        console.log(`CA:         ${certs.caFile}`);
        console.log(`client cert ${certs.clientCertFile} (key ${certs.clientKeyFile})`);
    }
    console.log(`users:      ${deployment.rendered.users.map((u) => `${u.name} (${u.role})`).join(", ")}`);
    console.log(`passwords:  one file per user in ${deployment.passwordDir}`);
    if (values["show-passwords"]) {
        for (const user of deployment.rendered.users) {
            console.log(`  ${user.name}: ${deployment.password(user.name)}`);
        }
    }
    const first = topology.dataNodes[0];
    const appUser = deployment.rendered.users.find((u) => u.role === "app")?.name ?? "admin";
    console.log("\nconnect with redis-cli:");
    if (topology.kind === "sentinel") {
        const sentinel = topology.sentinels[0];
        console.log(`  REDISCLI_AUTH=$(cat ${deployment.passwordDir}/${appUser}) redis-cli ${tlsArgs}--user ${appUser} -h ${sentinel.announceHost} -p ${sentinel.port} SENTINEL get-master-addr-by-name ${topology.masterName}`);
    }
    console.log(`  REDISCLI_AUTH=$(cat ${deployment.passwordDir}/${appUser}) redis-cli ${tlsArgs}--user ${appUser} -h ${first.announceHost} -p ${first.port}${topology.kind === "cluster" ? " -c" : ""}`);
    console.log("\nconnect with ioredis:");
    const tlsOption = tls ? `, tls: { ca: fs.readFileSync("${certs.caFile}") }` : "";
    const password = `fs.readFileSync("${deployment.passwordDir}/${appUser}", "utf8")`;
    if (topology.kind === "sentinel") {
        const sentinels = topology.sentinels.map((s) => `{ host: "${s.announceHost}", port: ${s.port} }`).join(", ");
        console.log(`  new Redis({ sentinels: [${sentinels}], name: "${topology.masterName}", username: "${appUser}", password: ${password}, sentinelUsername: "${appUser}", sentinelPassword: ${password}, enableTLSForSentinelMode: ${tls}${tlsOption}${tls ? `, sentinelTLS: { ca: fs.readFileSync("${certs.caFile}") }` : ""} })`);
    } else if (topology.kind === "cluster") {
        console.log(`  new Redis.Cluster([{ host: "${first.announceHost}", port: ${first.port} }], { redisOptions: { username: "${appUser}", password: ${password}${tlsOption} } })`);
    } else {
        console.log(`  new Redis({ host: "${first.announceHost}", port: ${first.port}, username: "${appUser}", password: ${password}${tlsOption} })`);
    }
    console.log("\nPress Ctrl-C to stop every process.");
    const stop = async () => {
        console.log("\nstopping...");
        await deployment.destroy();
        console.log("stopped.");
        process.exit(0);
    };
    process.removeAllListeners("SIGINT");
    process.removeAllListeners("SIGTERM");
    process.once("SIGINT", () => void stop());
    process.once("SIGTERM", () => void stop());
    // The supervisor still kills every process if this one exits any other way.
    setInterval(() => undefined, 1 << 30);
}

main().catch((error: unknown) => {
    console.error(`sandbox failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
});
