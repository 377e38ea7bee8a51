import { strict as assert } from "node:assert";
import { ConfigError } from "../../stacks/config/errors";
import { parseStackConfig } from "../../stacks/config/parse";
import { StackOutputs } from "../../stacks/config/stackOutput";
import { redisProgram } from "../../stacks/program";
import { OFFLINE_INVOKES, OFFLINE_OUTPUTS } from "../../tools/offline/answers";
import { RecordedResource, resolveOutput, runWithMocks } from "../../tools/offline/mockRuntime";

const NETWORK = "acme/network/prod";
const KEYS = "acme/keys/prod";
const STACK_REFERENCE = "pulumi:pulumi:StackReference";

function configMap(elasticache: Record<string, unknown>): Record<string, string> {
    return { "redis:backend": "elasticache", "redis:environment": "staging", "redis:elasticache": JSON.stringify(elasticache) };
}

function only(resources: readonly RecordedResource[], type: string): RecordedResource {
    const found = resources.filter((resource) => resource.type === type);
    assert.equal(found.length, 1, `exactly one ${type}`);
    return found[0];
}

describe("redis:elasticache values from another stack ({ stackOutput })", () => {
    const refs = {
        vpcId: { stackOutput: `${NETWORK}:vpcId` },
        subnetIds: { stackOutput: `${NETWORK}:network.privateSubnetIds` },
        allowedSecurityGroupIds: ["sg-0aa", { stackOutput: `${NETWORK}:appSecurityGroupId` }],
        kmsKeyArn: { stackOutput: `${KEYS}:redisKeyArn` },
    };

    it("wires each referenced output into the cache's children, one StackReference per stack", async () => {
        // What the referenced stacks export: randomised per run, so only wiring can make the assertions pass.
        const salt = Math.random().toString(16).slice(2, 10);
        const exported: Record<string, Record<string, unknown>> = {
            [NETWORK]: { vpcId: `vpc-${salt}`, network: { privateSubnetIds: [`subnet-${salt}a`, `subnet-${salt}b`] }, appSecurityGroupId: `sg-${salt}` },
            [KEYS]: { redisKeyArn: `arn:aws:kms:us-east-1:123456789012:key/${salt}` },
        };
        const config = configMap(refs);
        const read: string[] = [];
        const run = await runWithMocks(() => redisProgram("staging", config), {
            stack: "staging",
            config,
            invokes: OFFLINE_INVOKES,
            outputs: { ...OFFLINE_OUTPUTS, [STACK_REFERENCE]: (name) => (read.push(name), { outputs: exported[name], secretOutputNames: [] }) },
        });
        assert.equal(run.error, undefined, String(run.error));
        // StackReferences are reads, which the mocks answer without recording a registration.
        assert.deepEqual(read.sort(), [KEYS, NETWORK]);
        const network = exported[NETWORK] as { vpcId: string; network: { privateSubnetIds: string[] }; appSecurityGroupId: string };
        assert.equal(only(run.resources, "aws:ec2/securityGroup:SecurityGroup").inputs.vpcId, network.vpcId);
        assert.deepEqual(only(run.resources, "aws:elasticache/subnetGroup:SubnetGroup").inputs.subnetIds, network.network.privateSubnetIds);
        const ingress = run.resources.filter((resource) => resource.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
        assert.deepEqual(ingress.map((resource) => resource.inputs.referencedSecurityGroupId), ["sg-0aa", network.appSecurityGroupId]);
        assert.equal(only(run.resources, "aws:elasticache/replicationGroup:ReplicationGroup").inputs.kmsKeyId, exported[KEYS].redisKeyArn);
        assert.equal(run.resources.filter((resource) => resource.type === "aws:kms/key:Key").length, 0);
        assert.equal((await resolveOutput(run.result!.connection)).secret, false);
    });

    it("fails the deployment naming the stack and the missing output", async () => {
        const run = await runWithMocks(() => new StackOutputs().resolve({ stackOutput: `${NETWORK}:network.isolatedSubnetIds` }), {
            outputs: { [STACK_REFERENCE]: () => ({ outputs: { network: { privateSubnetIds: ["subnet-1"] } }, secretOutputNames: [] }) },
        });
        await assert.rejects(resolveOutput(run.result), /stackOutput "acme\/network\/prod:network.isolatedSubnetIds": stack acme\/network\/prod has no network.isolatedSubnetIds/);
    });

    it("refuses a malformed reference with the key, the value and the form allowed", () => {
        assert.throws(
            () => parseStackConfig("s", configMap({ ...refs, vpcId: { stackOutput: "network:vpcId" } })),
            (error: Error) => error instanceof ConfigError && /redis:elasticache\.vpcId/.test(error.message) && /<org>\/<project>\/<stack>:<output>/.test(error.message),
        );
    });

    it("still checks what is known: a referenced subnet list is not counted, a written one is", () => {
        assert.doesNotThrow(() => parseStackConfig("s", configMap(refs)));
        assert.throws(() => parseStackConfig("s", configMap({ ...refs, subnetIds: ["subnet-0a"] })), /must name at least 2 subnets/);
    });
});
