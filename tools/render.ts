import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { renderDeployment } from "../components/redisconf/deployment";
import { renderBackupScript } from "../components/redisconf/scripts/backup";
import { renderReloadScript } from "../components/redisconf/scripts/reload";
import { renderRestoreScript } from "../components/redisconf/scripts/restore";
import { allUserNames } from "../components/redisconf/users";
import type { SelfHostedConfig } from "../components/selfhosted/platform";
import { SELF_HOSTED_PLATFORMS } from "../components/selfhosted/platforms";
import { asDeploymentConfig, stackConfig } from "./harness/config";

/** The name the program gives its Redis component, which the platforms derive host names from. */
const DEPLOYMENT_NAME = "redis";

/**
 * `npm run render -- --stack <name> --out <dir>`: writes every file the stack's self-hosted nodes would run
 * (each node's config and script environment, the ACL file with its password hashes redacted, the scripts),
 * like `helm template`, so what will run can be reviewed. Nodes are placed by the stack's own platform
 * layout (host names, ports and paths exactly as Docker or Kubernetes will use them), and the scripts the
 * platforms add beside the deployment's (reload sidecar, backup, restore) are written too.
 */

const USAGE = "usage: npm run render -- --stack <name> --out <dir>";

/** Replaces every `#<sha256>` password hash with a placeholder. */
export function redactHashes(text: string): string {
    return text.replace(/#[0-9a-f]{64}/g, "#<redacted-sha256>");
}

function main(): void {
    const { values } = parseArgs({ options: { stack: { type: "string" }, out: { type: "string" }, help: { type: "boolean", default: false } } });
    if (values.help || !values.stack || !values.out) {
        console.log(USAGE);
        process.exitCode = values.help ? 0 : 2;
        return;
    }
    const config = asDeploymentConfig(stackConfig(values.stack));
    const stack = values.stack;
    const platform = SELF_HOSTED_PLATFORMS[config.selfhosted.platform];
    if (platform === undefined) {
        throw new Error(`platform "${config.selfhosted.platform}" is not available`);
    }
    const layout = platform.layout(DEPLOYMENT_NAME, config as SelfHostedConfig);
    // Render needs passwords only to hash them, and the hashes are redacted: any placeholder will do.
    const passwordsByUser = Object.fromEntries(allUserNames(config).map((user) => [user, ["render-placeholder-password"]]));
    const rendered = renderDeployment({ config, place: layout.place, pathsFor: layout.pathsFor, listenFor: layout.listenFor, passwordsByUser });
    const platformScripts = { "redis-reload.sh": renderReloadScript(), "redis-backup.sh": renderBackupScript(), "redis-restore.sh": renderRestoreScript() };
    const out = path.resolve(values.out);
    const written: string[] = [];
    const write = (relative: string, text: string, mode = 0o644) => {
        const file = path.join(out, relative);
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, text, { mode });
        written.push(relative);
    };
    write("users.acl", redactHashes(rendered.usersAcl));
    for (const [name, text] of Object.entries({ ...rendered.scripts, ...platformScripts })) {
        write(path.join("scripts", name), text as string, 0o755);
    }
    for (const node of rendered.nodes) {
        write(path.join(node.node.name, node.node.kind === "redis" ? "redis.conf" : "sentinel.conf"), redactHashes(node.config));
        write(path.join(node.node.name, "env"), Object.entries(node.env).map(([key, value]) => `${key}=${value}`).join("\n") + "\n");
    }
    if (rendered.clusterCreateEnv) {
        write(path.join("cluster-create", "env"), Object.entries(rendered.clusterCreateEnv).map(([key, value]) => `${key}=${value}`).join("\n") + "\n");
    }
    console.log(`stack ${stack}: ${rendered.topology.kind} topology on ${config.selfhosted.platform}, ${rendered.engine.name} ${rendered.engine.version}, ${config.selfhosted.failover} failover timing`);
    console.log(`wrote ${written.length} files to ${out}:`);
    for (const file of written) {
        console.log(`  ${file}`);
    }
    console.log("Password hashes are redacted; passwords are never rendered (scripts read them from files at run time).");
}

try {
    main();
} catch (error) {
    console.error(`render failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
}
