import { stackConfig, asDeploymentConfig } from "../harness/config";
import type { DeploymentConfig } from "../../components/redisconf/deployment";
import { OfflineStackRun, runStackOffline } from "../offline/stackRun";
import { CliError } from "../cli/errors";
import { RenderedFile, sortedFiles } from "./files";
import { kubernetesManifests } from "./manifests";
import { monitoringFiles } from "./monitoringFiles";
import { nodeFiles } from "./nodeFiles";
import { assertNoSecrets } from "./secrets";

/** Everything `npm run render` produces for a stack. */
export interface RenderedStack {
    stack: string;
    platform: string;
    /** One line: topology, platform, engine, timing. */
    summary: string;
    files: RenderedFile[];
}

/**
 * Renders a self-hosted stack like `helm template`: the nodes' files (pure rendering with the platform's
 * layout), then the stack's real program run under the mock runtime for the monitoring files it registers
 * and, on Kubernetes, every object as a manifest. Secrets are redacted; a file that would still hold one
 * stops the render.
 *
 * @throws CliError (exit 2) for a managed stack, which has no files to render: `synth` shows it instead
 * @throws Error when the program fails offline
 */
export async function renderStack(stack: string): Promise<RenderedStack> {
    const config = stackConfig(stack);
    if (config.backend !== "selfhosted") {
        throw new CliError(`stack ${stack} uses the managed ${config.backend} backend, which runs no files of ours: see its resources with npm run synth -- --stack ${stack}`);
    }
    return renderStackRun(asDeploymentConfig(config), await runStackOffline(stack));
}

/**
 * {@link renderStack} for a run already made. Pure.
 *
 * @throws Error when the run did not build
 */
export function renderStackRun(deployment: DeploymentConfig, run: OfflineStackRun): RenderedStack {
    if (run.status !== "ok") {
        throw new Error(`the program of stack ${run.stack} did not build offline (${run.status}): ${run.error ?? "unknown error"}`);
    }
    const nodes = nodeFiles(deployment);
    const files = sortedFiles([
        ...nodes.files,
        ...monitoringFiles(run.resources),
        ...(deployment.selfhosted.platform === "kubernetes" ? kubernetesManifests(run.resources) : []),
    ]);
    assertNoSecrets(files);
    return { stack: run.stack, platform: deployment.selfhosted.platform, summary: nodes.summary, files };
}
