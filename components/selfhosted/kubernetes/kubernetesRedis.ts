import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Topology } from "../../redisconf/topology";
import { systemUserNames } from "../../redisconf/users";
import { EXPORTER_IMAGE, imageFor } from "../images";
import type { PlatformBuildArgs, SelfHostedConfig } from "../platform";
import {
    assertNoSecrets,
    CLUSTER_CREATE_ENV_KEY,
    contentAddressedName,
    contentHash,
    EXPORTER_PASSWORDS_KEY,
    exporterPasswordsJson,
    nodesConfigMapData,
    scriptsConfigMapData,
    sentinelConfigSecretData,
    SENTINEL_RESET_ENV_KEY,
} from "./files";
import { KubernetesBackup } from "./backup/kubernetesBackup";
import { EngineVersionGuard } from "../engineGuard";
import { engineUpgradeJobFor, registerScriptJob, ScriptJobInputs, switchoverJobFor, withConfigMapNames } from "./scriptJobs";
import { dataNodeDigestInputs, sentinelDigestInputs } from "./digests";
import { nodesConfigMapName } from "./nodeFilesDigest";
import { KubernetesMonitoring } from "./monitoring/kubernetesMonitoring";
import { KubernetesProxy } from "./proxy/kubernetesProxy";
import { namesFor } from "./layout";
import { KubernetesNames, labelsFor, selectorFor, tlsSecretName } from "./names";
import {
    clientServiceManifests,
    disruptionBudgetManifests,
    headlessServiceManifest,
    namespaceManifest,
    networkPolicyManifest,
} from "./network";
import {
    dataStatefulSet,
    PodPlan,
    sentinelStatefulSet,
    TLS_FILES,
} from "./pods";
import { clusterDrainJob, clusterInitJob, sentinelResetJob } from "./scriptJob";
import { patchDataClaims } from "./dataClaims";
import { TEMPLATE_STORAGE_PATH } from "./storageGrowth";

/** Arguments of {@link KubernetesRedis}: what the self-hosted backend hands its platform. */
export type KubernetesRedisArgs = Omit<PlatformBuildArgs, "name" | "parent"> & {
    /** The deployment name object names derive from (the Redis component's name). */
    deploymentName: string;
};

/** The plan the pod manifests are built from. Pure. */
export function podPlanFor(names: KubernetesNames, config: SelfHostedConfig, topology: Topology): PodPlan {
    if (config.engine === undefined) {
        throw new Error("the Kubernetes platform needs an engine: the stack config has none");
    }
    const { kubernetes } = config.selfhosted;
    return {
        names,
        topology,
        image: imageFor(config.engine),
        engine: config.engine,
        exporterImage: EXPORTER_IMAGE,
        tls: config.tls.enabled,
        exporter: config.monitoring.enabled,
        environment: config.environment,
        resources: config.selfhosted.resources,
        storage: config.selfhosted.storage,
        ...(kubernetes.priorityClassName === undefined ? {} : { priorityClassName: kubernetes.priorityClassName }),
        ...(kubernetes.somaxconn === undefined ? {} : { somaxconn: kubernetes.somaxconn }),
        systemUsers: systemUserNames(config.selfhosted),
    };
}

/**
 * A self-hosted Redis on Kubernetes: StatefulSets of data nodes (and sentinels) running the rendered start
 * scripts, their configs, ACL, passwords and certificates in ConfigMaps and Secrets, headless and client
 * Services, PodDisruptionBudgets, a NetworkPolicy, and the cluster-init Job in cluster mode. Every manifest
 * comes from the pure functions in this folder; this component only wires Outputs into them.
 */
export class KubernetesRedis extends pulumi.ComponentResource {
    /** The namespace everything lives in. */
    public readonly namespace: string;
    /** The data nodes' StatefulSet. */
    public readonly dataStatefulSet: k8s.apps.v1.StatefulSet;
    /** The Job that moves slots off, and removes, the cluster nodes a scale-down removes; the StatefulSet waits for it (cluster only). */
    public readonly clusterDrainJob: k8s.batch.v1.Job | undefined;
    /** The Job that forms the cluster, or brings it to the desired nodes after a scale (cluster only). */
    public readonly clusterInitJob: k8s.batch.v1.Job | undefined;
    /** Each data node's claim patched to the configured size (`storage.sizeMiB`): how the volumes grow. */
    public readonly dataClaimPatches: k8s.core.v1.PersistentVolumeClaimPatch[];
    /** The sentinels' StatefulSet (sentinel topology only). */
    public readonly sentinelStatefulSet: k8s.apps.v1.StatefulSet | undefined;
    /**
     * The Job running `sentinel-reset.sh` once both StatefulSets rolled out (sentinel topology only): the
     * sentinels forget removed data nodes. Replaced, so run again, whenever the data nodes' addresses change.
     */
    public readonly sentinelResetJob: k8s.batch.v1.Job | undefined;
    /** The Namespace, when this component created it (`kubernetes.createNamespace`). */
    public readonly namespaceResource: k8s.core.v1.Namespace | undefined;
    /** The headless Service every pod's DNS name lives under. */
    public readonly headlessService: k8s.core.v1.Service;
    /** The Services clients connect to: the primary or the cluster seeds, and the sentinels. */
    public readonly clientServices: k8s.core.v1.Service[];

    /**
     * @param name the logical name; children are named after it
     * @param args the topology, rendered deployment, passwords and certificates
     * @param opts resource options
     * @throws Error before registering anything when the engine has no pinned image or a name is invalid
     */
    constructor(name: string, args: KubernetesRedisArgs, opts?: pulumi.ComponentResourceOptions) {
        const names = namesFor(args.deploymentName, args.config);
        const plan = podPlanFor(names, args.config, args.topology);
        super("redisplatform:kubernetes:KubernetesRedis", name, {}, opts);

        const { config, topology, deployment, passwordFiles, tls } = args;
        const protect = config.protect;
        const meta = (objectName: string, component: "redis" | "sentinel" = "redis") => ({
            name: objectName,
            namespace: names.namespace,
            labels: labelsFor(names, component),
        });

        let namespace: k8s.core.v1.Namespace | undefined;
        if (config.selfhosted.kubernetes.createNamespace) {
            // Deleting a namespace deletes its volume claims whatever their retention policy: protected with the data.
            namespace = new k8s.core.v1.Namespace(`${name}-namespace`, namespaceManifest(names, plan.somaxconn !== undefined), { parent: this, protect });
        }
        const inNamespace = namespace ? [namespace] : [];

        // ConfigMaps: text with no secret in it (checked), unwrapped from the secret deployment it comes from,
        // named after their content (see `contentAddressedName`).
        const scriptsData = pulumi.unsecret(deployment.apply((d) => assertNoSecrets(scriptsConfigMapData(d), d)));
        const nodesData = pulumi.unsecret(deployment.apply((d) => assertNoSecrets(nodesConfigMapData(names, d, "redis"), d)));
        const sentinelNodesData = pulumi.unsecret(deployment.apply((d) => assertNoSecrets(nodesConfigMapData(names, d, "sentinel"), d)));
        // The data nodes' ConfigMap is named after what the running pods read (not after the files of every node),
        // so that a scale does not roll them (see `nodesConfigMapName`).
        const dataNodesName = pulumi.unsecret(deployment.apply((d) => nodesConfigMapName(names, d)));
        const configMapNames = pulumi.all([scriptsData, dataNodesName, sentinelNodesData]).apply(([scriptsFiles, dataName, sentinelFiles]) => ({
            scriptsConfigMap: contentAddressedName(names.scriptsConfigMap, scriptsFiles),
            nodesConfigMap: dataName,
            sentinelNodesConfigMap: contentAddressedName(names.sentinelNodesConfigMap, sentinelFiles),
        }));
        const configMap = (resourceName: string, baseName: string, objectName: pulumi.Output<string>, data: pulumi.Output<Record<string, string>>, component: "redis" | "sentinel" = "redis") =>
            new k8s.core.v1.ConfigMap(resourceName, { metadata: { ...meta(baseName, component), name: objectName }, data }, { parent: this, dependsOn: inNamespace });
        const configMaps = [
            configMap(`${name}-scripts`, names.scriptsConfigMap, configMapNames.scriptsConfigMap, scriptsData),
            configMap(`${name}-nodes`, names.nodesConfigMap, configMapNames.nodesConfigMap, nodesData),
        ];
        if (topology.kind === "sentinel") {
            configMaps.push(configMap(`${name}-sentinel-nodes`, names.sentinelNodesConfigMap, configMapNames.sentinelNodesConfigMap, sentinelNodesData, "sentinel"));
        }
        const secret = (resourceName: string, objectName: string, stringData: pulumi.Input<Record<string, string>>, component: "redis" | "sentinel" = "redis") =>
            new k8s.core.v1.Secret(
                resourceName,
                { metadata: meta(objectName, component), type: "Opaque", stringData: pulumi.secret(stringData) },
                { parent: this, dependsOn: inNamespace },
            );
        const files: k8s.core.v1.Secret[] = [
            secret(`${name}-acl`, names.aclSecret, deployment.apply((d) => ({ "users.acl": d.usersAcl }))),
            secret(`${name}-passwords`, names.passwordsSecret, passwordFiles),
        ];
        if (topology.kind === "sentinel") {
            files.push(secret(`${name}-sentinel-config`, names.sentinelConfigSecret, deployment.apply((d) => sentinelConfigSecretData(names, d)), "sentinel"));
        }
        if (plan.exporter) {
            files.push(
                secret(
                    `${name}-exporter`,
                    names.exporterSecret,
                    pulumi.all([deployment, passwordFiles]).apply(([d, passwords]) => ({ [EXPORTER_PASSWORDS_KEY]: exporterPasswordsJson(names, d, plan.tls, passwords.monitor ?? "") })),
                ),
            );
        }
        // Certificates the sentinels mount (the shared CA and client certificate, and each sentinel's own): they roll on a change.
        const sentinelPems: pulumi.Output<string>[] = [];
        if (tls) {
            const client = pulumi.all([tls.caCertPem, tls.client.certPem, tls.client.privateKeyPem]);
            files.push(
                secret(
                    `${name}-tls-client`,
                    names.tlsClientSecret,
                    client.apply(([ca, cert, key]) => ({ [TLS_FILES.ca]: ca, [TLS_FILES.clientCert]: cert, [TLS_FILES.clientKey]: key })),
                ),
            );
            sentinelPems.push(tls.caCertPem, tls.client.certPem);
            for (const node of [...topology.dataNodes, ...topology.sentinels]) {
                const server = tls.servers[node.name];
                if (server === undefined) {
                    throw new Error(`no server certificate for node ${node.name}`);
                }
                if (node.kind === "sentinel") {
                    sentinelPems.push(server.certPem);
                }
                files.push(
                    secret(
                        `${name}-${node.name}-tls`,
                        tlsSecretName(names, node),
                        pulumi.all([server.certPem, server.privateKeyPem, client]).apply(([cert, key, [ca, clientCert, clientKey]]) => ({
                            [TLS_FILES.cert]: cert,
                            [TLS_FILES.key]: key,
                            [TLS_FILES.ca]: ca,
                            [TLS_FILES.clientCert]: clientCert,
                            [TLS_FILES.clientKey]: clientKey,
                        })),
                        node.kind,
                    ),
                );
            }
        }
        const podInputs = [...inNamespace, ...configMaps, ...files];

        // The deployed engine, remembered between runs: a downgrade fails the preview (engineGuard.ts).
        const engineGuard = new EngineVersionGuard(`${name}-engine`, plan.engine, { parent: this });
        // Before the data pods roll onto a new engine, the primaries move to the lowest ordinals (scriptJobs.ts).
        const upgradeJob = engineUpgradeJobFor(this, name, plan, deployment, configMapNames, [...podInputs, engineGuard]);
        const beforeDataNodes = [...podInputs, engineGuard, ...(upgradeJob ? [upgradeJob] : [])];

        // The node-environment Jobs (cluster drain and init, sentinel reset) re-run whenever their script or the
        // environment file they read (the desired nodes) changes.
        const nodeEnvJob = (suffix: string, script: "cluster-create.sh" | "cluster-drain.sh" | "sentinel-reset.sh", envKey: string, manifest: typeof clusterInitJob, dependsOn: pulumi.Resource[]) =>
            registerScriptJob(`${name}-${suffix}`, {
                plan,
                configMapNames,
                inputs: pulumi.unsecret(deployment.apply((d): ScriptJobInputs => ({ env: {}, contentHash: contentHash([d.scripts[script] ?? "", nodesConfigMapData(names, d, "redis")[envKey] ?? ""]) }))),
                manifest: (jobPlan, inputs) => manifest(jobPlan, inputs.contentHash),
                parent: this,
                dependsOn,
            });
        // Cluster: the drain Job runs before the StatefulSet changes (a scale-down removes pods only once drained),
        // the init Job after the drain.
        const drainJob = topology.kind === "cluster" ? nodeEnvJob("cluster-drain", "cluster-drain.sh", CLUSTER_CREATE_ENV_KEY, clusterDrainJob, beforeDataNodes) : undefined;
        this.clusterDrainJob = drainJob;

        // What each set of pods reads only when it starts, digested, so that a change rolls its pods (see `contentHash`).
        const dataHash = pulumi.unsecret(deployment.apply((d) => contentHash(dataNodeDigestInputs(names, d))));
        this.dataStatefulSet = new k8s.apps.v1.StatefulSet(
            `${name}-redis`,
            { metadata: dataStatefulSet(plan, "").metadata, spec: pulumi.all([dataHash, configMapNames]).apply(([hash, configMaps]) => dataStatefulSet(withConfigMapNames(plan, configMaps), hash).spec as k8s.types.input.apps.v1.StatefulSetSpec) },
            // After the drain (and the engine pre-flight): the StatefulSet removes pods only once no slot and no
            // cluster member lives on them. The template's storage request is immutable: growth patches the claims
            // instead (see storageGrowth.ts).
            { parent: this, dependsOn: [...beforeDataNodes, ...(drainJob ? [drainJob] : [])], protect, ignoreChanges: [TEMPLATE_STORAGE_PATH] },
        );
        this.dataClaimPatches = patchDataClaims(`${name}-claims`, { names, topology, storage: config.selfhosted.storage, statefulSet: this.dataStatefulSet, parent: this });

        if (topology.kind === "sentinel") {
            const sentinelHash = pulumi.unsecret(
                pulumi.all([deployment, passwordFiles, pulumi.all(sentinelPems)]).apply(([d, passwords, pems]) => contentHash(sentinelDigestInputs(names, d, passwords, pems))),
            );
            this.sentinelStatefulSet = new k8s.apps.v1.StatefulSet(
                `${name}-sentinel`,
                {
                    metadata: sentinelStatefulSet(plan, "").metadata,
                    spec: pulumi
                        .all([sentinelHash, configMapNames])
                        .apply(([hash, configMaps]) => sentinelStatefulSet(withConfigMapNames(plan, configMaps), hash).spec as k8s.types.input.apps.v1.StatefulSetSpec),
                },
                { parent: this, dependsOn: podInputs, protect },
            );
            // After both StatefulSets rolled out (Pulumi waits for them): a removed primary has handed over in its preStop.
            this.sentinelResetJob = nodeEnvJob("sentinel-reset", "sentinel-reset.sh", SENTINEL_RESET_ENV_KEY, sentinelResetJob, [...podInputs, this.dataStatefulSet, this.sentinelStatefulSet]);
        }

        this.headlessService = new k8s.core.v1.Service(`${name}-headless`, headlessServiceManifest(names, topology) as k8s.core.v1.ServiceArgs, { parent: this, dependsOn: inNamespace });
        this.clientServices = clientServiceManifests(names, topology).map(
            (service) =>
                new k8s.core.v1.Service(`${name}-${service.metadata?.name === names.sentinelService ? "sentinel" : "client"}-service`, service as k8s.core.v1.ServiceArgs, {
                    parent: this,
                    dependsOn: inNamespace,
                }),
        );
        for (const budget of disruptionBudgetManifests(names, topology)) {
            const component = budget.metadata?.labels?.["app.kubernetes.io/component"] ?? "redis";
            new k8s.policy.v1.PodDisruptionBudget(`${name}-${component}-pdb`, budget as k8s.policy.v1.PodDisruptionBudgetArgs, { parent: this, dependsOn: inNamespace });
        }
        new k8s.networking.v1.NetworkPolicy(
            `${name}-network-policy`,
            networkPolicyManifest(names, topology, config.selfhosted.kubernetes, plan.exporter) as k8s.networking.v1.NetworkPolicyArgs,
            { parent: this, dependsOn: inNamespace },
        );

        // Not waiting on the StatefulSet: its pods become ready only once this job has made them cluster members.
        this.clusterInitJob = drainJob ? nodeEnvJob("cluster-init", "cluster-create.sh", CLUSTER_CREATE_ENV_KEY, clusterInitJob, [...podInputs, drainJob]) : undefined;

        if (config.selfhosted.proxy !== undefined) {
            if (tls === undefined || args.proxyUser === undefined) {
                throw new Error("KubernetesRedis: the proxy needs TLS and its user (selfhosted.proxy requires tls.enabled)");
            }
            new KubernetesProxy(`${name}-proxy`, { names, config, topology, tls, user: args.proxyUser }, { parent: this, dependsOn: [...inNamespace, this.headlessService] });
        }

        switchoverJobFor(this, name, plan, deployment, configMapNames, config.selfhosted.switchoverTo, [this.dataStatefulSet, ...(this.sentinelStatefulSet ? [this.sentinelStatefulSet] : []), ...podInputs]);

        const monitoring = new KubernetesMonitoring(
            `${name}-monitoring`,
            {
                deploymentName: args.deploymentName,
                config,
                topology,
                namespace: names.namespace,
                podSelectors: { redis: selectorFor(names, "redis"), sentinel: selectorFor(names, "sentinel") },
                secrets: args.secrets ?? {},
            },
            { parent: this, dependsOn: inNamespace },
        );
        new KubernetesBackup(
            `${name}-backup`,
            {
                deploymentName: args.deploymentName,
                config,
                topology,
                namespace: names.namespace,
                passwordsSecret: names.passwordsSecret,
                tlsClientSecret: names.tlsClientSecret,
                pushgatewayUrl: monitoring.pushgatewayUrl,
            },
            { parent: this, dependsOn: inNamespace },
        );

        this.namespace = names.namespace;
        this.namespaceResource = namespace;
        this.registerOutputs({ namespace: this.namespace });
    }
}
