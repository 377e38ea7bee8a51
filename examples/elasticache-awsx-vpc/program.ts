import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
// In your own program: import { ElastiCacheRedis } from "pulumi-redis-platform";
import { ElastiCacheRedis } from "../../components";

/**
 * An awsx VPC, an application security group and a customer-managed KMS key, and an ElastiCache Valkey
 * replication group wired to them: the subnet ids, the VPC id, the security group id and the key ARN are all
 * Outputs of other resources, passed straight into `ElastiCacheRedis`.
 */
export function program() {
    const vpc = new awsx.ec2.Vpc("app", { cidrBlock: "10.20.0.0/16", numberOfAvailabilityZones: 2, natGateways: { strategy: "Single" } });
    const app = new aws.ec2.SecurityGroup("app", { vpcId: vpc.vpcId, description: "Application servers" });
    const key = new aws.kms.Key("cache", { description: "Redis at rest", enableKeyRotation: true, deletionWindowInDays: 30 });

    const cache = new ElastiCacheRedis("cache", {
        environment: "prod",
        profile: "session",
        vpcId: vpc.vpcId,
        subnetIds: vpc.privateSubnetIds,
        allowedSecurityGroupIds: [app.id],
        kmsKeyArn: key.arn,
        nodeType: new pulumi.Config().get("nodeType") ?? "cache.r7g.large",
        replicas: 2,
        users: [
            { name: "app", role: "app", keys: ["session:*"] },
            { name: "reporting", role: "readonly" },
        ],
    });

    return {
        connection: cache.connection,
        credentials: cache.credentials,
        // Children are public: wire alarms, DNS or IAM to them.
        securityGroupId: cache.securityGroupId,
        topicArn: cache.topicArn,
        replicationGroupId: cache.replicationGroup!.replicationGroupId,
    };
}
