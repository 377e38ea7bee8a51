import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { NetworkPlan } from "./plan";
import { checkedInput, knownValue } from "../inputs";
import { subnetCidrs } from "./subnets";
import { openToInternet } from "./validate";

/** Arguments of {@link Network}. */
export interface NetworkArgs {
    /** The cache's identifier, for descriptions and the example VPC's name tag. */
    identifier: string;
    /** Existing subnets in a VPC, or a private example VPC across 3 zones. */
    network: NetworkPlan;
    /** The TCP ports clients reach, inclusive (a Serverless cache also serves readers on the next port). */
    ports: { from: number; to: number };
    /** Security groups whose members may connect. @default [] */
    allowedSecurityGroupIds?: pulumi.Input<string>[];
    /** CIDR blocks that may connect; never `/0`; each may come from another resource. @default [] */
    allowedCidrs?: pulumi.Input<string>[];
    /** Creates an ElastiCache subnet group (replication groups need one; Serverless caches take subnet ids). */
    subnetGroup: boolean;
}

/** The number of zones, and subnets, of the example VPC. */
export const EXAMPLE_VPC_ZONES = 3;

/**
 * Where a cache lives and who may reach it: the subnets (existing ones, or a private example VPC with one
 * subnet in each of 3 zones), an optional subnet group, and a security group that admits the Redis port
 * only from the given security groups and CIDR blocks. It has no egress rule: a cache never dials out.
 */
export class Network extends pulumi.ComponentResource {
    /** The VPC the cache lives in. */
    public readonly vpcId: pulumi.Output<string>;
    /** The subnets of the cache's endpoints. */
    public readonly subnetIds: pulumi.Output<string[]>;
    /** The subnet group's name, when one was created. */
    public readonly subnetGroupName: pulumi.Output<string> | undefined;
    /** The security group the cache's endpoints are in. */
    public readonly securityGroupId: pulumi.Output<string>;

    /**
     * @param name the logical name; children are named after it
     * @param args the network, ports and allowed sources
     * @param opts resource options
     * @throws Error before registering anything when nobody could connect, or a CIDR block admits the internet
     */
    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        validateNetworkArgs(args);
        super("redisplatform:elasticache:Network", name, {}, opts);

        if (args.network.kind === "example") {
            const vpc = new aws.ec2.Vpc(
                `${name}-vpc`,
                { cidrBlock: args.network.cidrBlock, enableDnsSupport: true, enableDnsHostnames: true, tags: { Name: `${args.identifier}-example` } },
                { parent: this },
            );
            const zones = aws.getAvailabilityZonesOutput({ state: "available" }, { parent: this }).names.apply((names) => {
                if (names.length < EXAMPLE_VPC_ZONES) {
                    throw new Error(`Network: the region has ${names.length} available zones; the example VPC needs ${EXAMPLE_VPC_ZONES}`);
                }
                return names.slice(0, EXAMPLE_VPC_ZONES);
            });
            const subnets = subnetCidrs(args.network.cidrBlock, EXAMPLE_VPC_ZONES, 4).map(
                (cidrBlock, index) =>
                    new aws.ec2.Subnet(
                        `${name}-subnet-${index}`,
                        { vpcId: vpc.id, cidrBlock, availabilityZone: zones[index], mapPublicIpOnLaunch: false, tags: { Name: `${args.identifier}-${index}` } },
                        { parent: this },
                    ),
            );
            this.vpcId = vpc.id;
            this.subnetIds = pulumi.all(subnets.map((subnet) => subnet.id));
        } else {
            this.vpcId = pulumi.output(args.network.vpcId);
            this.subnetIds = pulumi.output(args.network.subnetIds);
        }

        this.subnetGroupName = args.subnetGroup
            ? new aws.elasticache.SubnetGroup(`${name}-subnets`, { description: `Subnets of ElastiCache ${args.identifier}`, subnetIds: this.subnetIds }, { parent: this }).name
            : undefined;

        const group = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            { vpcId: this.vpcId, description: `Clients of ElastiCache ${args.identifier}`, tags: { Name: args.identifier } },
            { parent: this },
        );
        const port = { ipProtocol: "tcp", fromPort: args.ports.from, toPort: args.ports.to, securityGroupId: group.id };
        (args.allowedSecurityGroupIds ?? []).forEach((source, index) => {
            new aws.vpc.SecurityGroupIngressRule(`${name}-from-sg-${index}`, { ...port, referencedSecurityGroupId: source, description: "Redis clients" }, { parent: this });
        });
        (args.allowedCidrs ?? []).forEach((input, index) => {
            const block = knownValue(input);
            // A block known now goes in as is; one from another resource is checked, and sorted by family, when it resolves.
            const family =
                block !== undefined
                    ? block.includes(":")
                        ? { cidrIpv6: block }
                        : { cidrIpv4: block }
                    : {
                          cidrIpv4: checkedInput(input, cidrProblem).apply((value) => (value.includes(":") ? undefined : value)) as pulumi.Output<string>,
                          cidrIpv6: checkedInput(input, cidrProblem).apply((value) => (value.includes(":") ? value : undefined)) as pulumi.Output<string>,
                      };
            new aws.vpc.SecurityGroupIngressRule(`${name}-from-cidr-${index}`, { ...port, ...family, description: "Redis clients" }, { parent: this });
        });
        this.securityGroupId = group.id;
        this.registerOutputs({ vpcId: this.vpcId, subnetIds: this.subnetIds, subnetGroupName: this.subnetGroupName, securityGroupId: this.securityGroupId });
    }
}

/**
 * Checks the plain arguments of {@link Network}.
 *
 * @throws Error naming the argument, the value and what is allowed
 */
export function validateNetworkArgs(args: Pick<NetworkArgs, "ports" | "allowedSecurityGroupIds" | "allowedCidrs">): void {
    const { from, to } = args.ports;
    if (!Number.isInteger(from) || !Number.isInteger(to) || from < 1 || to > 65535 || from > to) {
        throw new Error(`Network: ports = ${from}-${to}: must be whole numbers from 1 to 65535, from <= to`);
    }
    if ((args.allowedSecurityGroupIds ?? []).length === 0 && (args.allowedCidrs ?? []).length === 0) {
        throw new Error("Network: allowedSecurityGroupIds and allowedCidrs are both empty: name who may connect; nothing is open by default");
    }
    for (const block of args.allowedCidrs ?? []) {
        const known = knownValue(block);
        const problem = known === undefined ? undefined : cidrProblem(known);
        if (problem !== undefined) {
            throw new Error(problem);
        }
    }
}

/** Why a block may not be allowed in, or `undefined`. */
function cidrProblem(block: string): string | undefined {
    return openToInternet(block) ? `Network: allowedCidrs includes ${block}: must not open Redis to the whole internet; name the application's network` : undefined;
}
