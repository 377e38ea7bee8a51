import { CliError, CliMain, cliMain, CliSpec, JSON_FLAG, oneOf, requireStack, STACK_FLAG } from "./cli";
import { readStackFile } from "../stacks/config/stackFile";
import { asDeploymentConfig, localStackConfig, stackConfig } from "./harness/config";
import { installedEngine } from "./harness/binaries";
import { LocalDeployment } from "./harness/localDeployment";

/**
 * `npm run sandbox -- --stack <name>` (or `--topology sentinel|cluster|standalone`): runs the self-hosted
 * topology the stack would deploy as local processes with its rendered files, prints how to connect, and
 * stops everything on Ctrl-C. Passwords stay in their files unless `--show-passwords` is given.
 */

/** `npm run sandbox`: see the summary. */
export const SANDBOX_SPEC: CliSpec = {
    name: "sandbox",
    summary: "run the self-hosted topology a stack would deploy as local redis-server/redis-sentinel processes with its rendered files, print how to connect, and stop everything on Ctrl-C",
    usage: ["--stack <name> [--show-passwords] [--keep] [--json]", "--topology standalone|sentinel|cluster [--failover standard|fast] [--show-passwords] [--keep] [--json]"],
    flags: {
        stack: { ...STACK_FLAG, description: "run this self-hosted stack's topology (or give --topology)" },
        topology: { type: "string", value: "<standalone|sentinel|cluster>", description: "run this topology with the harness defaults instead of a stack" },
        failover: { type: "string", value: "<standard|fast>", description: "with --topology: the timing profile (default standard)" },
        "show-passwords": { type: "boolean", description: "print every user's password (they stay in files otherwise)" },
        keep: { type: "boolean", description: "keep the run directory after Ctrl-C" },
        json: { ...JSON_FLAG, description: "once ready, print {status: ready, topology, nodes, files, ca, users} on stdout; progress goes to stderr" },
    },
    ports: "random free 127.0.0.1 ports (never 6379), one per node (cluster nodes also their bus port)",
    duration: "starts in 2-10 s, then runs until Ctrl-C",
    exitCodes: { 1: "a process failed to start", 2: "bad usage, an unknown stack, or a managed stack (nothing runs locally)" },
};

const main: CliMain = async ({ values }, io) => {
    if (values.stack === undefined && values.topology === undefined) {
        throw new CliError("--stack <name> or --topology <standalone|sentinel|cluster> is required");
    }
    if (values.stack !== undefined) {
        const stack = requireStack(values.stack);
        const backend = readStackFile(stack).config["redis:backend"];
        if (backend !== "selfhosted") {
            throw new CliError(`stack ${stack} uses the managed ${backend} backend: only self-hosted stacks run locally (see it with npm run synth -- --stack ${stack})`);
        }
    }
    const config =
        values.stack !== undefined
            ? stackConfig(values.stack as string)
            : localStackConfig({
                  topology: oneOf("topology", values.topology as string, ["standalone", "sentinel", "cluster"] as const),
                  failover: oneOf("failover", values.failover as string | undefined, ["standard", "fast"] as const, "standard"),
              });
    const json = values.json === true;
    // With --json only the JSON goes to stdout; every human line goes to stderr.
    const say = (line: string) => (json ? io.stderr(`${line}\n`) : io.stdout(`${line}\n`));
    const deploymentConfig = asDeploymentConfig(config);
    const installed = installedEngine();
    if (config.engine && (config.engine.name !== installed.name || config.engine.version !== installed.version)) {
        say(`note: the stack asks for ${config.engine.name} ${config.engine.version}; rendering for the installed ${installed.name} ${installed.version}`);
    }
    const started = Date.now();
    const deployment = await LocalDeployment.start({
        config: deploymentConfig,
        baseDir: undefined,
        keepDir: values.keep === true,
        progress: (message) => io.stderr(`[${((Date.now() - started) / 1000).toFixed(1)}s] ${message}\n`),
    });
    const { topology } = deployment.rendered;
    const certs = deployment.certs;
    const tls = deployment.clientTls().enabled;
    const tlsArgs = tls ? `--tls --cacert ${certs.caFile} --cert ${certs.clientCertFile} --key ${certs.clientKeyFile} ` : "";
    say(`\n${topology.kind} topology ready in ${((Date.now() - started) / 1000).toFixed(1)} s (${deployment.rendered.engine.name} ${deployment.rendered.engine.version}, ${deploymentConfig.selfhosted.failover} timing)`);
    for (const node of [...topology.dataNodes, ...topology.sentinels]) {
        say(`  ${node.name.padEnd(11)} ${node.announceHost}:${node.port}${node.busPort ? ` (bus ${node.busPort})` : ""}`);
    }
    say(`\nfiles:      ${deployment.root}`);
    if (tls) {
        say(`CA:         ${certs.caFile}`);
        say(`client cert ${certs.clientCertFile} (key ${certs.clientKeyFile})`);
    }
    say(`users:      ${deployment.rendered.users.map((u) => `${u.name} (${u.role})`).join(", ")}`);
    say(`passwords:  one file per user in ${deployment.passwordDir}`);
    if (values["show-passwords"]) {
        for (const user of deployment.rendered.users) {
            say(`  ${user.name}: ${deployment.password(user.name)}`);
        }
    }
    const first = topology.dataNodes[0];
    const appUser = deployment.rendered.users.find((u) => u.role === "app")?.name ?? "admin";
    say("\nconnect with redis-cli:");
    if (topology.kind === "sentinel") {
        const sentinel = topology.sentinels[0];
        say(`  REDISCLI_AUTH=$(cat ${deployment.passwordDir}/${appUser}) redis-cli ${tlsArgs}--user ${appUser} -h ${sentinel.announceHost} -p ${sentinel.port} SENTINEL get-master-addr-by-name ${topology.masterName}`);
    }
    say(`  REDISCLI_AUTH=$(cat ${deployment.passwordDir}/${appUser}) redis-cli ${tlsArgs}--user ${appUser} -h ${first.announceHost} -p ${first.port}${topology.kind === "cluster" ? " -c" : ""}`);
    say("\nconnect with ioredis:");
    const tlsOption = tls ? `, tls: { ca: fs.readFileSync("${certs.caFile}") }` : "";
    const password = `fs.readFileSync("${deployment.passwordDir}/${appUser}", "utf8")`;
    if (topology.kind === "sentinel") {
        const sentinels = topology.sentinels.map((s) => `{ host: "${s.announceHost}", port: ${s.port} }`).join(", ");
        say(`  new Redis({ sentinels: [${sentinels}], name: "${topology.masterName}", username: "${appUser}", password: ${password}, sentinelUsername: "${appUser}", sentinelPassword: ${password}, enableTLSForSentinelMode: ${tls}${tlsOption}${tls ? `, sentinelTLS: { ca: fs.readFileSync("${certs.caFile}") }` : ""} })`);
    } else if (topology.kind === "cluster") {
        say(`  new Redis.Cluster([{ host: "${first.announceHost}", port: ${first.port} }], { redisOptions: { username: "${appUser}", password: ${password}${tlsOption} } })`);
    } else {
        say(`  new Redis({ host: "${first.announceHost}", port: ${first.port}, username: "${appUser}", password: ${password}${tlsOption} })`);
    }
    say("\nPress Ctrl-C to stop every process.");
    if (json) {
        const nodes = [...topology.dataNodes, ...topology.sentinels].map((node) => ({ name: node.name, host: node.announceHost, port: node.port, ...(node.busPort ? { busPort: node.busPort } : {}) }));
        const users = deployment.rendered.users.map((user) => ({ name: user.name, role: user.role, passwordFile: `${deployment.passwordDir}/${user.name}` }));
        io.stdout(`${JSON.stringify({ status: "ready", topology: topology.kind, nodes, files: deployment.root, ...(tls ? { ca: certs.caFile, clientCert: certs.clientCertFile, clientKey: certs.clientKeyFile } : {}), users })}\n`);
    }
    const stop = async () => {
        say("\nstopping...");
        await deployment.destroy();
        say("stopped.");
        process.exit(0);
    };
    process.removeAllListeners("SIGINT");
    process.removeAllListeners("SIGTERM");
    process.once("SIGINT", () => void stop());
    process.once("SIGTERM", () => void stop());
    // The supervisor still kills every process if this one exits any other way.
    setInterval(() => undefined, 1 << 30);
    return new Promise<number>(() => undefined);
};

/** Runs `npm run sandbox` (exported for the CLI test table). */
export const sandboxMain = main;

if (require.main === module) {
    cliMain(SANDBOX_SPEC, main);
}
