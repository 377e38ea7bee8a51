import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Topology } from "../../../redisconf/topology";
import type { SelfHostedConfig } from "../../platform";
import type { DeploymentTls, ProxyUser } from "../../platform";
import { renderEnvoyConfig } from "../../proxy/envoyConfig";
import { PROXY_PATHS, proxyFilePaths, proxySecretFiles } from "../../proxy/files";
import { contentHash } from "../files";
import type { KubernetesNames } from "../names";
import { kubernetesEnvoyInput, proxyDeployment, proxyDisruptionBudget, proxyLabels, proxyNames, proxyNetworkPolicy, proxyServices } from "./manifests";

/** Arguments of {@link KubernetesProxy}. */
export interface KubernetesProxyArgs {
    names: KubernetesNames;
    config: SelfHostedConfig;
    topology: Topology;
    /** The deployment's TLS material; must hold the proxy's certificate. */
    tls: DeploymentTls;
    /** The user clients log in as, and its passwords (secret). */
    user: pulumi.Output<ProxyUser>;
}

/**
 * The Envoy `redis_proxy` in front of a Kubernetes cluster deployment (docs/proxy.md): its ConfigMap
 * (`envoy.yaml`, no secret), its Secret (certificates, key, passwords), Deployment, Services,
 * PodDisruptionBudget and NetworkPolicy, from the pure manifests in `manifests.ts`.
 */
export class KubernetesProxy extends pulumi.ComponentResource {
    /** The proxy's Deployment. */
    public readonly deployment: k8s.apps.v1.Deployment;

    constructor(name: string, args: KubernetesProxyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("redisplatform:kubernetes:Proxy", name, {}, opts);
        const { names, config, topology, tls, user } = args;
        const proxy = config.selfhosted.proxy;
        if (proxy === undefined) {
            throw new Error("KubernetesProxy: selfhosted.proxy is not enabled");
        }
        const serverCertificate = tls.proxy;
        if (serverCertificate === undefined) {
            throw new Error("KubernetesProxy: the deployment's TLS material has no proxy certificate");
        }
        const mtls = config.tls.mtls;
        const objectNames = proxyNames(names);
        const child = { parent: this };
        const meta = (objectName: string) => ({ name: objectName, namespace: names.namespace, labels: proxyLabels(names) });

        // The username and whether a previous password exists are all envoy.yaml takes from the user: no secret.
        const envoyYaml = pulumi.unsecret(
            user.apply(({ username, passwords }) => renderEnvoyConfig(kubernetesEnvoyInput(names, topology, username, mtls, proxyFilePaths(PROXY_PATHS.secretsDir, mtls, passwords.length > 1)))),
        );
        const secretFiles = pulumi.secret(
            pulumi
                .all([tls.caCertPem, serverCertificate.certPem, serverCertificate.privateKeyPem, tls.client.certPem, tls.client.privateKeyPem, user])
                .apply(([caCertPem, certPem, privateKeyPem, clientCert, clientKey, { username, passwords }]) =>
                    proxySecretFiles({ caCertPem, server: { certPem, privateKeyPem }, client: { certPem: clientCert, privateKeyPem: clientKey }, username, passwords }, mtls),
                ),
        );
        const configMap = new k8s.core.v1.ConfigMap(`${name}-config`, { metadata: meta(objectNames.configMap), data: { "envoy.yaml": envoyYaml } }, child);
        const secret = new k8s.core.v1.Secret(`${name}-secret`, { metadata: meta(objectNames.secret), type: "Opaque", stringData: secretFiles }, child);
        // Envoy reads its files once, at start: a digest of them rolls the pods when a certificate or password changes.
        const hash = pulumi.unsecret(
            pulumi.all([envoyYaml, secretFiles]).apply(([yaml, files]) => contentHash([yaml, ...Object.keys(files).sort().flatMap((key) => [key, files[key]])])),
        );
        const priorityClassName = config.selfhosted.kubernetes.priorityClassName;
        this.deployment = new k8s.apps.v1.Deployment(
            `${name}-deployment`,
            {
                metadata: proxyDeployment(names, proxy, "", priorityClassName).metadata,
                spec: hash.apply((configHash) => proxyDeployment(names, proxy, configHash, priorityClassName).spec as k8s.types.input.apps.v1.DeploymentSpec),
            },
            { parent: this, dependsOn: [configMap, secret] },
        );
        for (const service of proxyServices(names)) {
            new k8s.core.v1.Service(`${name}-${service.metadata?.name === objectNames.service ? "service" : "metrics-service"}`, service as k8s.core.v1.ServiceArgs, child);
        }
        new k8s.policy.v1.PodDisruptionBudget(`${name}-pdb`, proxyDisruptionBudget(names) as k8s.policy.v1.PodDisruptionBudgetArgs, child);
        new k8s.networking.v1.NetworkPolicy(`${name}-network-policy`, proxyNetworkPolicy(names, config.selfhosted.kubernetes.monitoringNamespace) as k8s.networking.v1.NetworkPolicyArgs, child);
        this.registerOutputs({ deployment: this.deployment });
    }
}
