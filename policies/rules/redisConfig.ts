import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { resourceRule, stackRule } from "./lib/define";
import { podTemplateOf } from "./lib/pods";
import { enabledDefaultUsers, lastArgs, memoryBytes, persists, sentinelMonitors, tlsOnlyProblems, value } from "./lib/redisConf";
import { configMapName, renderedFilesOf, RenderedFile } from "./lib/renderedFiles";
import { DOCKER, KUBERNETES } from "./lib/types";
import { at, numeric, records } from "./lib/values";

/** The resource types that can carry rendered Redis config. */
export const CONFIG_CARRIERS = [KUBERNETES.configMap, KUBERNETES.secret, DOCKER.container];

/** A plain-text port leaks passwords and data to anyone on the network path. */
export const redisConfTlsOnly = resourceRule({
    name: "redisconf-tls-only",
    description: "Rendered redis.conf and sentinel.conf listen on TLS only (port 0, tls-port, tls-replication, tls-cluster).",
    enforcementLevel: "mandatory",
    types: CONFIG_CARRIERS,
    check: (props, report, _config, args) => {
        for (const file of renderedFilesOf(args.type, props)) {
            if (file.kind === "redis" || file.kind === "sentinel") {
                for (const problem of tlsOnlyProblems(file.directives, file.kind)) {
                    report(`${file.file}: ${problem}`);
                }
            }
        }
    },
});

/** Without maxmemory Redis grows until the kernel or kubelet kills it. */
export const redisConfMaxmemory = resourceRule({
    name: "redisconf-maxmemory",
    description: "Rendered redis.conf sets maxmemory to a positive size.",
    enforcementLevel: "mandatory",
    types: CONFIG_CARRIERS,
    check: (props, report, _config, args) => {
        for (const file of renderedFilesOf(args.type, props).filter((candidate) => candidate.kind === "redis")) {
            const setting = lastArgs(file.directives, "maxmemory")?.[0];
            const bytes = memoryBytes(setting);
            if (bytes === undefined || bytes <= 0) {
                report(`${file.file}: maxmemory is ${setting ?? "unset"}: set it below the memory limit so Redis evicts or refuses writes instead of being killed`);
            }
        }
    },
});

/** An enabled default user lets any client in without a name. */
export const redisConfDefaultUserOff = resourceRule({
    name: "redisconf-default-user-off",
    description: "Rendered redis.conf, sentinel.conf and ACL files keep the default user off.",
    enforcementLevel: "mandatory",
    types: CONFIG_CARRIERS,
    check: (props, report, _config, args) => {
        for (const file of renderedFilesOf(args.type, props)) {
            for (const directive of enabledDefaultUsers(file.directives)) {
                report(`${file.file} line ${directive.line}: the default user is not switched off: end its rule with "off"`);
            }
        }
    },
});

/** Every rendered file of the stack, with the resource that carries it. */
function allFiles(resources: readonly PolicyResource[]): { resource: PolicyResource; file: RenderedFile }[] {
    return resources.flatMap((resource) => renderedFilesOf(resource.type, resource.props).map((file) => ({ resource, file })));
}

/** Whether the stack runs replicated Redis: sentinels, a cluster, or replicas. */
export function isHighlyAvailable(files: readonly RenderedFile[]): boolean {
    return files.some(
        (file) => file.kind === "sentinel" || (file.kind === "redis" && (value(file.directives, "cluster-enabled") === "yes" || lastArgs(file.directives, "replicaof") !== undefined)),
    );
}

/** A primary that restarts empty is replicated as empty: its replicas wipe themselves. */
export const redisConfPersistenceInHa = stackRule({
    name: "redisconf-persistence-in-ha",
    description: "In sentinel, cluster and replicated deployments every rendered redis.conf persists (AOF or RDB save points).",
    enforcementLevel: "mandatory",
    check: (resources, report) => {
        const files = allFiles(resources);
        if (!isHighlyAvailable(files.map((entry) => entry.file))) {
            return;
        }
        for (const { resource, file } of files.filter((entry) => entry.file.kind === "redis")) {
            if (!persists(file.directives)) {
                report(`${resource.name} ${file.file}: persistence is off in a replicated deployment: a restarted primary would empty its replicas; set appendonly yes or save points`, resource.urn);
            }
        }
    },
});

/** How many sentinel processes a resource's sentinel file stands for. */
function sentinelInstances(resource: PolicyResource, sentinelFiles: number, resources: readonly PolicyResource[]): number {
    if (resource.type !== KUBERNETES.configMap || sentinelFiles !== 1) {
        return sentinelFiles;
    }
    // One shared sentinel.conf in a ConfigMap: every pod of the StatefulSets that mount it is a sentinel.
    const name = configMapName(resource.props);
    const mounting = resources.filter((candidate) => {
        const template = candidate.type === KUBERNETES.statefulSet ? podTemplateOf(candidate.type, candidate.props) : undefined;
        return template !== undefined && name !== undefined && records(template.spec.volumes).some((volume) => at(volume, "configMap", "name") === name);
    });
    return mounting.length === 0 ? 1 : mounting.reduce((sum, statefulSet) => sum + (numeric(at(statefulSet.props, "spec", "replicas")) ?? 1), 0);
}

/** The verdict on one monitored master: what is wrong with its sentinel count and quorum. */
export function sentinelQuorumProblems(master: string, sentinels: number, quorums: readonly number[], minimum: number): string[] {
    const problems: string[] = [];
    if (sentinels < minimum) {
        problems.push(`master ${master} is watched by ${sentinels} sentinel(s): run at least ${minimum}`);
    }
    if (sentinels % 2 === 0) {
        problems.push(`master ${master} is watched by ${sentinels} sentinels: use an odd number so a partition always leaves one side with a majority`);
    }
    const majority = Math.floor(sentinels / 2) + 1;
    for (const quorum of new Set(quorums)) {
        if (!Number.isInteger(quorum) || quorum < majority || quorum > sentinels) {
            problems.push(`master ${master} has quorum ${quorum} with ${sentinels} sentinels: use a majority, ${majority}`);
        }
    }
    return problems;
}

/** Fewer than three sentinels, an even count, or a minority quorum lets a partition fail over twice. */
export const redisConfSentinelQuorum = stackRule<{ minimumSentinels: number }>({
    name: "redisconf-sentinel-quorum",
    description: "Each monitored master has an odd number of sentinels, at least `minimumSentinels`, with a majority quorum.",
    enforcementLevel: "mandatory",
    config: { minimumSentinels: { type: "integer", default: 3, description: "The fewest sentinels per monitored master." } },
    check: (resources, report, config) => {
        const counts = new Map<string, { sentinels: number; quorums: number[]; carriers: PolicyResource[] }>();
        for (const resource of resources) {
            const sentinelFiles = renderedFilesOf(resource.type, resource.props).filter((file) => file.kind === "sentinel");
            if (sentinelFiles.length === 0) {
                continue;
            }
            const perFile = sentinelInstances(resource, sentinelFiles.length, resources) / sentinelFiles.length;
            for (const file of sentinelFiles) {
                for (const monitor of sentinelMonitors(file.directives)) {
                    const entry = counts.get(monitor.master) ?? { sentinels: 0, quorums: [], carriers: [] };
                    entry.sentinels += perFile;
                    entry.quorums.push(monitor.quorum);
                    if (!entry.carriers.includes(resource)) {
                        entry.carriers.push(resource);
                    }
                    counts.set(monitor.master, entry);
                }
            }
        }
        for (const [master, entry] of [...counts].sort(([a], [b]) => a.localeCompare(b))) {
            // The sentinel configs' first carrier stands for the whole set; every carrier is named.
            for (const problem of sentinelQuorumProblems(master, entry.sentinels, entry.quorums, config.minimumSentinels)) {
                report(`${entry.carriers.map((carrier) => carrier.name).join(", ")}: ${problem}`, entry.carriers[0].urn);
            }
        }
    },
});

/** Every rendered-config rule that looks at one resource. */
export const REDIS_CONFIG_RESOURCE_RULES: ResourceValidationPolicy[] = [redisConfTlsOnly, redisConfMaxmemory, redisConfDefaultUserOff];

/** Every rendered-config rule that looks at the whole stack. */
export const REDIS_CONFIG_STACK_RULES: StackValidationPolicy[] = [redisConfPersistenceInHa, redisConfSentinelQuorum];
