import { RECEIVER_SECRET_KEY } from "../../stacks/config/secretKeys";
import { MOCK_SECRET_MARKER, MockOptions } from "./mockRuntime";

/**
 * The one table of invoke answers the offline tools (policy, synth) give a stack's program. Backends add
 * the invokes they make here; any other invoke fails the run, so an unexpected cloud lookup is noticed
 * instead of silently answered. Answers are fixed, so runs are deterministic.
 */
export const OFFLINE_INVOKES: NonNullable<MockOptions["invokes"]> = {
    "aws:index/getAvailabilityZones:getAvailabilityZones": () => ({
        id: "us-east-1",
        names: ["us-east-1a", "us-east-1b", "us-east-1c"],
        zoneIds: ["use1-az1", "use1-az2", "use1-az4"],
        groupNames: ["us-east-1"],
    }),
    "aws:index/getCallerIdentity:getCallerIdentity": () => ({
        id: "123456789012",
        accountId: "123456789012",
        arn: "arn:aws:iam::123456789012:role/offline",
        userId: "AROAOFFLINE",
    }),
    "aws:index/getRegion:getRegion": () => ({ id: "us-east-1", name: "us-east-1", region: "us-east-1", description: "US East (N. Virginia)", endpoint: "ec2.us-east-1.amazonaws.com" }),
    "aws:index/getPartition:getPartition": () => ({ id: "aws", partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" }),
    "aws:ec2/getSubnet:getSubnet": (args) => ({
        id: args.id ?? "subnet-0a1b2c3d4e5f60001",
        vpcId: "vpc-0a1b2c3d4e5f60001",
        availabilityZone: "us-east-1a",
        cidrBlock: "10.0.0.0/20",
    }),
    "aws:ec2/getVpc:getVpc": (args) => ({ id: args.id ?? "vpc-0a1b2c3d4e5f60001", cidrBlock: "10.0.0.0/16" }),
    "aws:iam/getPolicyDocument:getPolicyDocument": (args) => ({
        id: "policy",
        json: JSON.stringify({ Version: "2012-10-17", Statement: args.statements ?? [] }),
    }),
};

/** A fake but well-formed Docker image id, derived from the image name so runs are deterministic. */
function imageIdFor(name: string): string {
    let hash = 0;
    for (const char of name) {
        hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
    }
    return `sha256:${hash.toString(16).padStart(8, "0").repeat(8)}`;
}

/** Kubernetes auto-names a resource without `metadata.name` after its logical name, as the provider does (minus the random suffix). */
function kubernetesName(name: string, inputs: Record<string, any>): Record<string, any> {
    return { metadata: { ...(inputs.metadata ?? {}), name: inputs.metadata?.name ?? name } };
}

/** AWS auto-naming: a resource without `name` gets one derived from its logical name, and an ARN. */
function awsNamed(service: string) {
    return (name: string, inputs: Record<string, any>) => {
        const resolved = inputs.name ?? name;
        return { name: resolved, arn: `arn:aws:${service}:us-east-1:123456789012:${resolved}` };
    };
}

/**
 * Outputs the provider would compute and programs feed into other resources: without them the mocks
 * leave those inputs empty and rules judge a hole.
 */
export const OFFLINE_OUTPUTS: NonNullable<MockOptions["outputs"]> = {
    "docker:index/remoteImage:RemoteImage": (_name, inputs) => ({ imageId: imageIdFor(String(inputs.name ?? "")), repoDigest: `${String(inputs.name ?? "")}@${imageIdFor(String(inputs.name ?? ""))}` }),
    "kubernetes:core/v1:ConfigMap": kubernetesName,
    "kubernetes:core/v1:Secret": kubernetesName,
    "kubernetes:core/v1:Service": kubernetesName,
    "kubernetes:core/v1:Namespace": kubernetesName,
    "kubernetes:core/v1:ServiceAccount": kubernetesName,
    "kubernetes:apps/v1:StatefulSet": kubernetesName,
    "aws:s3/bucket:Bucket": (name, inputs) => ({ bucket: inputs.bucket ?? name, arn: `arn:aws:s3:::${inputs.bucket ?? name}` }),
    "aws:s3/bucketV2:BucketV2": (name, inputs) => ({ bucket: inputs.bucket ?? name, arn: `arn:aws:s3:::${inputs.bucket ?? name}` }),
    "aws:elasticache/subnetGroup:SubnetGroup": awsNamed("elasticache"),
    "aws:elasticache/parameterGroup:ParameterGroup": awsNamed("elasticache"),
    "aws:sns/topic:Topic": awsNamed("sns"),
    "aws:cloudwatch/logGroup:LogGroup": awsNamed("logs"),
    "aws:ec2/securityGroup:SecurityGroup": awsNamed("ec2"),
    "aws:kms/key:Key": (name) => ({ arn: `arn:aws:kms:us-east-1:123456789012:key/${name}`, keyId: `${name}-key-id` }),
};

/**
 * Secret config a stack needs but its file cannot hold without the Pulumi CLI's encryption (the Upstash
 * API key, alert receivers' webhooks), as recognisable mock secrets. Only the keys the stack's own config
 * asks for are added, so validation still sees exactly what a user would have to set.
 */
export function offlineSecretsFor(config: Readonly<Record<string, string>>): Record<string, string> {
    const wanted: string[] = [];
    if (config["redis:backend"] === "upstash") {
        wanted.push("upstashApiKey");
    }
    const monitoring = config["redis:monitoring"] === undefined ? {} : (JSON.parse(config["redis:monitoring"]) as { receivers?: string[] });
    for (const receiver of monitoring.receivers ?? []) {
        const key = RECEIVER_SECRET_KEY[receiver as keyof typeof RECEIVER_SECRET_KEY];
        if (key !== undefined) {
            wanted.push(key);
        }
    }
    return Object.fromEntries(
        wanted.filter((key) => config[`redis:${key}`] === undefined).map((key) => [`redis:${key}`, `${MOCK_SECRET_MARKER}-config-${key}`]),
    );
}

/**
 * A stack's config and secret keys as the mock runtime gets them: the given config plus the mock secrets of
 * {@link offlineSecretsFor} (asked for by `file`'s own config), which count as secret keys too.
 */
export function offlineConfig(
    file: { config: Readonly<Record<string, string>>; secretKeys: readonly string[] },
    config: Readonly<Record<string, string>> = file.config,
): { config: Record<string, string>; secretKeys: string[] } {
    const secrets = offlineSecretsFor(file.config);
    return { config: { ...config, ...secrets }, secretKeys: [...new Set([...file.secretKeys, ...Object.keys(secrets)])] };
}
