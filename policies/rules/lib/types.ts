/**
 * The provider type tokens the rules look at. The pack matches on these strings instead of importing the
 * provider SDKs, so it stays small and loads in the policy analyzer without `@pulumi/aws` and friends.
 */

/** AWS ElastiCache. */
export const ELASTICACHE = {
    replicationGroup: "aws:elasticache/replicationGroup:ReplicationGroup",
    serverlessCache: "aws:elasticache/serverlessCache:ServerlessCache",
    user: "aws:elasticache/user:User",
    userGroup: "aws:elasticache/userGroup:UserGroup",
    parameterGroup: "aws:elasticache/parameterGroup:ParameterGroup",
    subnetGroup: "aws:elasticache/subnetGroup:SubnetGroup",
    cluster: "aws:elasticache/cluster:Cluster",
} as const;

/** AWS KMS. */
export const KMS = {
    key: "aws:kms/key:Key",
    keyPolicy: "aws:kms/keyPolicy:KeyPolicy",
} as const;

/** AWS CloudWatch. */
export const CLOUDWATCH = {
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    metricAlarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
} as const;

/** AWS S3: the v7 `Bucket` family and the older `V2` names, which the provider keeps as aliases. */
export const S3 = {
    buckets: ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"],
    publicAccessBlocks: ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"],
    versionings: ["aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2"],
    encryptions: [
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    ],
    policies: ["aws:s3/bucketPolicy:BucketPolicy"],
    lifecycles: ["aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2"],
    loggings: ["aws:s3/bucketLogging:BucketLogging", "aws:s3/bucketLoggingV2:BucketLoggingV2"],
} as const;

/** AWS security groups and their rules. */
export const SECURITY_GROUPS = {
    group: "aws:ec2/securityGroup:SecurityGroup",
    rule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
} as const;

/** Kubernetes. */
export const KUBERNETES = {
    statefulSet: "kubernetes:apps/v1:StatefulSet",
    deployment: "kubernetes:apps/v1:Deployment",
    daemonSet: "kubernetes:apps/v1:DaemonSet",
    job: "kubernetes:batch/v1:Job",
    cronJob: "kubernetes:batch/v1:CronJob",
    pod: "kubernetes:core/v1:Pod",
    configMap: "kubernetes:core/v1:ConfigMap",
    secret: "kubernetes:core/v1:Secret",
    networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    podDisruptionBudget: "kubernetes:policy/v1:PodDisruptionBudget",
    persistentVolumeClaim: "kubernetes:core/v1:PersistentVolumeClaim",
    service: "kubernetes:core/v1:Service",
    prometheusRule: "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
} as const;

/** Docker. */
export const DOCKER = {
    container: "docker:index/container:Container",
    remoteImage: "docker:index/remoteImage:RemoteImage",
    volume: "docker:index/volume:Volume",
} as const;

/** Upstash. */
export const UPSTASH = {
    redisDatabase: "upstash:index/redisDatabase:RedisDatabase",
} as const;

/** The stack resource itself, whose outputs are the stack outputs. */
export const STACK_TYPE = "pulumi:pulumi:Stack";
