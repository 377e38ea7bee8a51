import { strict as assert } from "node:assert";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_ACL, DEFAULT_BACKUP, DEFAULT_MONITORING, DEFAULT_TLS } from "../../components/defaults";
import { ElastiCacheRedis } from "../../components/elasticache/elastiCacheRedis";
import { selfHostedConfig } from "../../components/selfhosted/settings";
import { parseStackConfig } from "../../stacks/config/parse";
import { aclSchema, backupSchema, monitoringSchema, tlsSchema } from "../../stacks/config/sections";
import { RecordedResource, runWithMocks } from "../../tools/offline/mockRuntime";

const INVOKES = {
    "aws:index/getAvailabilityZones:getAvailabilityZones": () => ({ names: ["a", "b", "c"] }),
    "aws:index/getRegion:getRegion": () => ({ region: "eu-west-1" }),
};

function ofType(resources: readonly RecordedResource[], type: string): RecordedResource[] {
    return resources.filter((resource) => resource.type === type);
}

describe("library defaults", () => {
    it("are the stack files' defaults, group by group", () => {
        assert.deepEqual(tlsSchema.parse({}), DEFAULT_TLS);
        assert.deepEqual(aclSchema.parse({}), DEFAULT_ACL);
        assert.deepEqual(monitoringSchema.parse({}), DEFAULT_MONITORING);
        assert.deepEqual(backupSchema.parse({}), DEFAULT_BACKUP);
    });

    it("resolve a minimal SelfHostedRedis exactly as a minimal self-hosted stack", () => {
        for (const [topology, platform] of [["standalone", "docker"], ["sentinel", "kubernetes"], ["cluster", "kubernetes"]] as const) {
            const { secretKeys: _keys, elasticache: _e, upstash: _u, ...fromStack } = parseStackConfig("s", { "redis:backend": "selfhosted", "redis:selfhosted": JSON.stringify({ topology, platform }) });
            assert.deepEqual(selfHostedConfig({ topology, platform }, "s"), fromStack, `${topology} on ${platform}`);
        }
    });
});

describe("ElastiCacheRedis and the provider in effect", () => {
    it("takes the dashboard's region from the AWS provider given in opts, not from aws:region", async () => {
        const run = await runWithMocks(
            () => {
                const london = new aws.Provider("london", { region: "eu-west-2" });
                return new ElastiCacheRedis("c", { exampleVpc: {}, allowedCidrs: ["10.0.0.0/8"] }, { providers: { aws: london } });
            },
            {
                config: { "aws:region": "us-east-1" },
                invokes: {
                    ...INVOKES,
                    // Answers with the region of the provider the invoke was made through.
                    "aws:index/getRegion:getRegion": (_args, provider) => ({ region: provider?.includes("::london::") ? "eu-west-2" : "us-east-1" }),
                },
            },
        );
        assert.equal(run.error, undefined, String(run.error));
        const [dashboard] = ofType(run.resources, "aws:cloudwatch/dashboard:Dashboard");
        const regions = JSON.parse(dashboard.inputs.dashboardBody).widgets.map((widget: { properties: { region?: string } }) => widget.properties.region).filter(Boolean);
        assert.deepEqual([...new Set(regions)], ["eu-west-2"]);
        const london = ofType(run.resources, "pulumi:providers:aws")[0];
        assert.ok(dashboard.provider?.startsWith(london.urn), dashboard.provider);
    });
});

describe("ElastiCacheRedis with Outputs", () => {
    it("takes the node type from an Output, and data tiering follows it", async () => {
        const run = await runWithMocks(
            () => new ElastiCacheRedis("c", { exampleVpc: {}, allowedCidrs: [pulumi.output("10.1.0.0/16"), pulumi.output("2001:db8::/32")], nodeType: pulumi.output("cache.r6gd.xlarge") }),
            { invokes: INVOKES },
        );
        assert.equal(run.error, undefined, String(run.error));
        const [group] = ofType(run.resources, "aws:elasticache/replicationGroup:ReplicationGroup");
        assert.equal(group.inputs.nodeType, "cache.r6gd.xlarge");
        assert.equal(group.inputs.dataTieringEnabled, true);
        const rules = ofType(run.resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").map((rule) => [rule.inputs.cidrIpv4, rule.inputs.cidrIpv6]);
        assert.deepEqual(rules, [
            ["10.1.0.0/16", undefined],
            [undefined, "2001:db8::/32"],
        ]);
    });

    it("checks an Output when it resolves: a block open to the internet never reaches an ingress rule", async () => {
        const run = await runWithMocks(() => new ElastiCacheRedis("c", { exampleVpc: {}, allowedCidrs: [pulumi.output("0.0.0.0/0")] }), { invokes: INVOKES });
        assert.equal(run.error, undefined);
        assert.deepEqual(ofType(run.resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").map((rule) => rule.inputs.cidrIpv4), []);
    });

    it("refuses the same CIDR at once when it is plain", async () => {
        const run = await runWithMocks(() => new ElastiCacheRedis("c", { exampleVpc: {}, allowedCidrs: ["0.0.0.0/0"] }), { invokes: INVOKES });
        assert.match(String(run.error), /allowedCidrs\.0 = "0\.0\.0\.0\/0": must not open Redis to the whole internet/);
        assert.deepEqual(run.resources, []);
    });
});
