import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { alertDeploymentFor } from "../../components/monitoring/alertDeployment";
import { buildTopology } from "../../components/redisconf/topology";
import { dockerLayout } from "../../components/selfhosted/docker/layout";
import { prometheusUploads } from "../../components/selfhosted/docker/monitoring/spec";
import { bundledMonitoringManifests } from "../../components/selfhosted/kubernetes/monitoring/bundled";
import { kubernetesLayout } from "../../components/selfhosted/kubernetes/layout";
import { monitoringLabels } from "../../components/selfhosted/kubernetes/monitoring/labels";
import type { SelfHostedConfig } from "../../components/selfhosted/platform";
import { parseStackConfig } from "../../stacks/config/parse";
import { runTool } from "../support/monitoring/tools";

/**
 * The Prometheus configs the Docker and Kubernetes platforms deploy, exactly as rendered, pass
 * `promtool check config` together with their rule files.
 */

function config(platform: "docker" | "kubernetes", topology: "sentinel" | "cluster"): SelfHostedConfig {
    const selfhosted = topology === "sentinel" ? { platform, topology, replicas: 2, sentinels: 3 } : { platform, topology, shards: 3, replicasPerShard: 1 };
    return parseStackConfig("t", { "redis:backend": "selfhosted", "redis:profile": "durable", "redis:selfhosted": JSON.stringify(selfhosted) }) as SelfHostedConfig;
}

/** Writes prometheus.yml and the rule file into a temp dir (the rule path rewritten to it) and runs promtool. */
function check(prometheusYml: string, rules: string, rulePath: string): void {
    const dir = mkdtempSync(path.join(tmpdir(), "prom-platform-"));
    try {
        writeFileSync(path.join(dir, "redis-rules.yml"), rules);
        writeFileSync(path.join(dir, "prometheus.yml"), prometheusYml.split(rulePath).join(path.join(dir, "redis-rules.yml")));
        const result = runTool("promtool", ["check", "config", path.join(dir, "prometheus.yml")]);
        assert.equal(result.status, 0, result.output);
        assert.match(result.output, /SUCCESS/);
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

describe("the platforms' Prometheus configs pass promtool", () => {
    for (const topology of ["sentinel", "cluster"] as const) {
        it(`Docker, ${topology}`, () => {
            const stack = config("docker", topology);
            const placed = buildTopology(stack.selfhosted, dockerLayout("redis", stack).place);
            const [yml, rules] = prometheusUploads("redis", "redis-t", 7000, placed, alertDeploymentFor("redis", stack));
            check(yml.content, rules.content, "/etc/prometheus/config/redis-rules.yml");
        });

        it(`Kubernetes bundled, ${topology}`, () => {
            const stack = config("kubernetes", topology);
            const placed = buildTopology(stack.selfhosted, kubernetesLayout("redis", stack).place);
            const objects = bundledMonitoringManifests({ deployment: "redis", meta: { namespace: "monitoring", labels: monitoringLabels("redis") }, topology: placed, alert: alertDeploymentFor("redis", stack), retentionDays: 15, storage: { size: "10gb" }, clusterDomain: "cluster.local" });
            const data = objects.configMaps[0].data!;
            check(data["prometheus.yml"], data["redis-rules.yml"], "/etc/prometheus/config/redis-rules.yml");
        });
    }
});
