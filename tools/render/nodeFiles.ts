import * as path from "node:path";
import { DeploymentConfig, renderDeployment } from "../../components/redisconf/deployment";
import { renderBackupScript } from "../../components/redisconf/scripts/backup";
import { renderReloadScript } from "../../components/redisconf/scripts/reload";
import { renderRestoreScript } from "../../components/redisconf/scripts/restore";
import { allUserNames } from "../../components/redisconf/users";
import type { SelfHostedConfig } from "../../components/selfhosted/platform";
import { SELF_HOSTED_PLATFORMS } from "../../components/selfhosted/platforms";
import { envFile, RenderedFile } from "./files";
import { redactRendered } from "./secrets";

/** The name the program gives its Redis component, which the platforms derive host names from. */
export const DEPLOYMENT_NAME = "redis";

/** The scripts the platforms run beside the deployment's own: the reload sidecar, backup and restore. */
export function platformScripts(): Record<string, string> {
    return { "redis-reload.sh": renderReloadScript(), "redis-backup.sh": renderBackupScript(), "redis-restore.sh": renderRestoreScript() };
}

/** What {@link nodeFiles} rendered, besides the files. */
export interface NodeFiles {
    files: RenderedFile[];
    /** One line saying what was rendered: topology, platform, engine, timing. */
    summary: string;
}

/**
 * Every file the stack's self-hosted nodes run: each node's config and script environment, the ACL file with
 * its password hashes redacted, and every script (the deployment's and the platform's). Nodes are placed by
 * the stack's own platform layout, so host names, ports and paths are exactly those Docker or Kubernetes use.
 * Pure.
 *
 * @throws Error when the stack's platform is not available
 */
export function nodeFiles(config: DeploymentConfig): NodeFiles {
    const platform = SELF_HOSTED_PLATFORMS[config.selfhosted.platform];
    if (platform === undefined) {
        throw new Error(`platform "${config.selfhosted.platform}" is not available`);
    }
    const layout = platform.layout(DEPLOYMENT_NAME, config as SelfHostedConfig);
    // Passwords are needed only to hash them, and the hashes are redacted: any placeholder will do.
    const passwordsByUser = Object.fromEntries(allUserNames(config).map((user) => [user, ["render-placeholder-password"]]));
    const rendered = renderDeployment({ config, place: layout.place, pathsFor: layout.pathsFor, listenFor: layout.listenFor, passwordsByUser });
    const files: RenderedFile[] = [{ path: "users.acl", content: redactRendered(rendered.usersAcl) }];
    for (const [name, text] of Object.entries({ ...rendered.scripts, ...platformScripts() })) {
        files.push({ path: path.posix.join("scripts", name), content: text as string, mode: 0o755 });
    }
    for (const node of rendered.nodes) {
        files.push({ path: path.posix.join(node.node.name, node.node.kind === "redis" ? "redis.conf" : "sentinel.conf"), content: redactRendered(node.config) });
        files.push({ path: path.posix.join(node.node.name, "env"), content: envFile(node.env) });
    }
    if (rendered.clusterCreateEnv) {
        files.push({ path: path.posix.join("cluster-create", "env"), content: envFile(rendered.clusterCreateEnv) });
    }
    const summary = `${rendered.topology.kind} topology on ${config.selfhosted.platform}, ${rendered.engine.name} ${rendered.engine.version}, ${config.selfhosted.failover} failover timing`;
    return { files, summary };
}
