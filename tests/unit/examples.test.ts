import { strict as assert } from "node:assert";
import { OFFLINE_INVOKES, OFFLINE_OUTPUTS } from "../../tools/offline/answers";
import { RecordedResource, resolveOutput, runWithMocks } from "../../tools/offline/mockRuntime";

/**
 * The examples under examples/ are programs that use the library, not the stack files. Each runs here under
 * the mocks, and every Output another resource produced must reach the library's child resources unchanged:
 * the expected values are the ones the mocks handed out for the producing resources, recorded as they were
 * produced, never constants the example could also contain.
 */

/** Mock outputs that record what they returned per resource name. */
function recording(produce: Record<string, (name: string, inputs: Record<string, any>) => Record<string, any>>) {
    const produced: Record<string, Record<string, any>> = {};
    const outputs = Object.fromEntries(
        Object.entries(produce).map(([type, fn]) => [type, (name: string, inputs: Record<string, any>) => (produced[`${type}/${name}`] = fn(name, inputs))]),
    );
    return { outputs, produced };
}

function only(resources: readonly RecordedResource[], type: string, name?: string): RecordedResource {
    const found = resources.filter((resource) => resource.type === type && (name === undefined || resource.name === name));
    assert.equal(found.length, 1, `exactly one ${type} ${name ?? ""}: ${found.map((resource) => resource.name).join(", ")}`);
    return found[0];
}

/** Deterministic ids derived from the resource's own name and inputs, so nothing matches by accident. */
function idsFrom(seed: string, count: number, prefix: string): string[] {
    return Array.from({ length: count }, (_, index) => `${prefix}-${Buffer.from(`${seed}:${index}`).toString("hex").slice(0, 17)}`);
}

describe("examples/elasticache-awsx-vpc: awsx VPC Outputs into ElastiCacheRedis", () => {
    it("passes the VPC's subnet ids, the VPC id, the app security group and the KMS key ARN to the cache's children", async () => {
        const { program } = await import("../../examples/elasticache-awsx-vpc/program");
        const { outputs, produced } = recording({
            "awsx:ec2:Vpc": (name, inputs) => ({
                vpcId: idsFrom(`${name}:${inputs.cidrBlock}`, 1, "vpc")[0],
                privateSubnetIds: idsFrom(`${name}:${inputs.cidrBlock}:private`, inputs.numberOfAvailabilityZones, "subnet"),
                publicSubnetIds: idsFrom(`${name}:${inputs.cidrBlock}:public`, inputs.numberOfAvailabilityZones, "subnet"),
            }),
            "aws:kms/key:Key": (name) => ({ arn: `arn:aws:kms:eu-west-1:210987654321:key/${idsFrom(name, 1, "k")[0]}` }),
            "aws:ec2/securityGroup:SecurityGroup": (name, inputs) => ({ arn: `arn:aws:ec2:eu-west-1:210987654321:security-group/${name}`, vpcIdSeen: inputs.vpcId }),
        });
        const run = await runWithMocks(program, {
            invokes: { ...OFFLINE_INVOKES, "aws:index/getRegion:getRegion": () => ({ region: "eu-west-1" }) },
            outputs: { ...OFFLINE_OUTPUTS, ...outputs },
        });
        assert.equal(run.error, undefined, String(run.error));
        const vpc = produced["awsx:ec2:Vpc/app"];
        const key = produced["aws:kms/key:Key/cache"];
        assert.equal(vpc.privateSubnetIds.length, 2);

        const subnetGroup = only(run.resources, "aws:elasticache/subnetGroup:SubnetGroup");
        assert.deepEqual(subnetGroup.inputs.subnetIds, vpc.privateSubnetIds);
        const cacheGroup = only(run.resources, "aws:ec2/securityGroup:SecurityGroup", "cache-network-sg");
        assert.equal(cacheGroup.inputs.vpcId, vpc.vpcId);
        const appGroup = only(run.resources, "aws:ec2/securityGroup:SecurityGroup", "app");
        assert.equal(appGroup.inputs.vpcId, vpc.vpcId);
        const ingress = only(run.resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
        // The mocks give every resource the id `<name>-id`: the app group's id, not the cache's.
        assert.equal(ingress.inputs.referencedSecurityGroupId, `${appGroup.name}-id`);
        assert.equal(ingress.inputs.securityGroupId, `${cacheGroup.name}-id`);
        const group = only(run.resources, "aws:elasticache/replicationGroup:ReplicationGroup");
        assert.equal(group.inputs.kmsKeyId, key.arn);
        assert.equal(group.inputs.nodeType, "cache.r7g.large");
        assert.equal(group.inputs.dataTieringEnabled, false);
        assert.deepEqual(run.resources.filter((resource) => resource.type === "aws:kms/key:Key").map((resource) => resource.name), ["cache"]);
        // The dashboard takes the region of the provider in effect (answered by getRegion), not aws:region.
        const widgets: { properties: { region?: string } }[] = JSON.parse(only(run.resources, "aws:cloudwatch/dashboard:Dashboard").inputs.dashboardBody).widgets;
        assert.deepEqual([...new Set(widgets.map((widget) => widget.properties.region).filter((region) => region !== undefined))], ["eu-west-1"]);

        const result = run.result!;
        assert.equal((await resolveOutput(result.securityGroupId)).value, `${cacheGroup.name}-id`);
        assert.equal((await resolveOutput(result.credentials)).secret, true);
    });
});

describe("examples/selfhosted-kubernetes-provider: a Kubernetes provider from another resource into SelfHostedRedis", () => {
    it("builds the provider's kubeconfig from the cluster's Outputs and registers every Kubernetes object through it", async () => {
        const { program } = await import("../../examples/selfhosted-kubernetes-provider/program");
        const { outputs, produced } = recording({
            "aws:eks/cluster:Cluster": (name, inputs) => ({
                name: `${name}-${idsFrom(inputs.roleArn, 1, "c")[0]}`,
                endpoint: `https://${idsFrom(name, 1, "api")[0]}.gr7.eu-west-1.eks.amazonaws.com`,
                certificateAuthority: { data: Buffer.from(`CA of ${name}`).toString("base64") },
            }),
        });
        const run = await runWithMocks(program, {
            config: { "redis-platform:clusterRoleArn": "arn:aws:iam::210987654321:role/eks", "redis-platform:subnetIds": '["subnet-0a","subnet-0b"]' },
            invokes: OFFLINE_INVOKES,
            outputs: { ...OFFLINE_OUTPUTS, ...outputs },
        });
        assert.equal(run.error, undefined, String(run.error));
        const cluster = produced["aws:eks/cluster:Cluster/apps"];
        const provider = only(run.resources, "pulumi:providers:kubernetes", "apps");
        const kubeconfig = JSON.parse(String(provider.inputs.kubeconfig));
        assert.deepEqual(kubeconfig.clusters, [{ name: cluster.name, cluster: { server: cluster.endpoint, "certificate-authority-data": cluster.certificateAuthority.data } }]);
        assert.deepEqual(kubeconfig.users[0].user.exec.args, ["eks", "get-token", "--cluster-name", cluster.name]);

        const kubernetesObjects = run.resources.filter((resource) => resource.custom && resource.type.startsWith("kubernetes:"));
        assert.ok(kubernetesObjects.length > 20, `${kubernetesObjects.length} Kubernetes objects`);
        for (const resource of kubernetesObjects) {
            assert.equal(resource.provider, `${provider.urn}::${provider.name}-id`, `${resource.type} ${resource.name} uses the cluster's provider`);
        }
        const namespace = only(run.resources, "kubernetes:core/v1:Namespace", "sessions-kubernetes-namespace");
        assert.equal(namespace.inputs.metadata.name, "sessions");
        assert.deepEqual(
            only(run.resources, "kubernetes:apps/v1:StatefulSet", "sessions-kubernetes-sentinel").inputs.spec.replicas,
            3,
        );
        assert.equal(only(run.resources, "redisplatform:selfhosted:SelfHostedRedis").name, "sessions");
        const services = run.resources.filter((resource) => resource.type === "kubernetes:core/v1:Service" && resource.name.endsWith("-service") && !resource.name.includes("monitoring"));
        assert.deepEqual((await resolveOutput(run.result!.clientServices[0])).value, services[0].inputs.metadata.name);
        assert.equal(run.result!.clientServices.length, services.length);
    });
});
