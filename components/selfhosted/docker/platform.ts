import type { SelfHostedPlatform } from "../platform";
import { DockerDeployment } from "./dockerDeployment";
import { dockerLayout } from "./layout";

/**
 * The Docker platform: every node in a hardened container of its own on the local Docker engine, sharing one
 * network namespace, with client ports published on `selfhosted.docker.publishAddress` (127.0.0.1 unless
 * the stack says otherwise). See `docs/docker.md`.
 */
export const dockerPlatform: SelfHostedPlatform = {
    layout: dockerLayout,
    build: (args) => {
        return new DockerDeployment(
            args.name,
            { config: args.config, topology: args.topology, deployment: args.deployment, passwordFiles: args.passwordFiles, tls: args.tls, secrets: args.secrets, ...(args.proxyUser === undefined ? {} : { proxyUser: args.proxyUser }) },
            { parent: args.parent },
        );
    },
};
