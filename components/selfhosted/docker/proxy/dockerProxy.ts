import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { Topology } from "../../../redisconf/topology";
import type { DeploymentTls, ProxyUser, SelfHostedConfig } from "../../platform";
import { renderEnvoyConfig } from "../../proxy/envoyConfig";
import { ENVOY_ARGS, PROXY_PATHS, proxyFilePaths, proxySecretFiles } from "../../proxy/files";
import { ENVOY_IMAGE } from "../../images";
import { containerHardening, dockerCpus, dockerUploads, holderNamespaces, UploadFile } from "../containerSpec";
import { dockerEnvoyInput, dockerProxyName } from "./spec";

/** Arguments of {@link DockerProxy}. */
export interface DockerProxyArgs {
    /** The name prefix of the deployment's Docker objects. */
    prefix: string;
    config: SelfHostedConfig;
    topology: Topology;
    /** `container:<holder id>`: the shared network namespace the nodes announce their loopback addresses in. */
    networkMode: pulumi.Input<string>;
    tls: DeploymentTls;
    /** The user clients log in as, and its passwords (secret). */
    user: pulumi.Output<ProxyUser>;
    labels: Record<string, string>;
}

/**
 * The Envoy `redis_proxy` in front of a Docker cluster deployment (docs/proxy.md): the pinned Envoy image and
 * one container in the deployment's network namespace, its `envoy.yaml`, certificates and passwords uploaded
 * into an anonymous volume (readable by Envoy's group only). Replaced, like the sentinels, when a file changes.
 */
export class DockerProxy extends pulumi.ComponentResource {
    /** The Envoy container. */
    public readonly container: docker.Container;

    constructor(name: string, args: DockerProxyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("redisplatform:docker:Proxy", name, {}, opts);
        const { prefix, config, topology, tls, user } = args;
        const proxy = config.selfhosted.proxy;
        const serverCertificate = tls.proxy;
        if (proxy === undefined || serverCertificate === undefined) {
            throw new Error("DockerProxy: selfhosted.proxy is not enabled, or the TLS material has no proxy certificate");
        }
        const mtls = config.tls.mtls;
        const files: pulumi.Output<UploadFile[]> = pulumi.secret(
            pulumi
                .all([tls.caCertPem, serverCertificate.certPem, serverCertificate.privateKeyPem, tls.client.certPem, tls.client.privateKeyPem, user])
                .apply(([caCertPem, certPem, privateKeyPem, clientCert, clientKey, { username, passwords }]) => {
                    const envoyYaml = renderEnvoyConfig(dockerEnvoyInput(prefix, config, topology, username, proxyFilePaths(PROXY_PATHS.secretsDir, mtls, passwords.length > 1)));
                    const secretFiles = proxySecretFiles({ caCertPem, server: { certPem, privateKeyPem }, client: { certPem: clientCert, privateKeyPem: clientKey }, username, passwords }, mtls);
                    return [
                        { file: PROXY_PATHS.config, content: envoyYaml, secret: false },
                        ...Object.entries(secretFiles).map(([file, content]) => ({ file: `${PROXY_PATHS.secretsDir}/${file}`, content, secret: true })),
                    ];
                }),
        );
        const image = new docker.RemoteImage(`${name}-image`, { name: proxy.image, keepLocally: true }, { parent: this });
        this.container = new docker.Container(
            `${name}-container`,
            {
                name: dockerProxyName(prefix),
                image: image.imageId,
                entrypoints: ["envoy"],
                command: [...ENVOY_ARGS],
                user: `${ENVOY_IMAGE.uid}:${ENVOY_IMAGE.gid}`,
                ...holderNamespaces(args.networkMode),
                volumes: [{ containerPath: "/etc/envoy" }],
                uploads: pulumi.secret(files.apply((all) => dockerUploads(all, ENVOY_IMAGE.gid))),
                ...containerHardening(),
                memory: proxy.resources.memoryMiB,
                cpus: dockerCpus(proxy.resources.cpu),
                restart: "unless-stopped",
                labels: Object.entries(args.labels).map(([label, value]) => ({ label, value })),
            },
            { parent: this, deleteBeforeReplace: true },
        );
        this.registerOutputs({ container: this.container });
    }
}
