import type { SelfHostedPlatform } from "../platform";
import { KubernetesRedis } from "./kubernetesRedis";
import { kubernetesLayout } from "./layout";

/**
 * The Kubernetes platform: nodes announce their pods' DNS names through the headless Service (see
 * `kubernetesLayout`), and {@link KubernetesRedis} runs the rendered deployment in StatefulSets.
 */
export const kubernetesPlatform: SelfHostedPlatform = {
    layout: kubernetesLayout,
    build(args) {
        return new KubernetesRedis(
            `${args.name}-kubernetes`,
            { deploymentName: args.name, config: args.config, topology: args.topology, deployment: args.deployment, passwordFiles: args.passwordFiles, tls: args.tls, secrets: args.secrets, ...(args.proxyUser === undefined ? {} : { proxyUser: args.proxyUser }) },
            { parent: args.parent },
        );
    },
};
