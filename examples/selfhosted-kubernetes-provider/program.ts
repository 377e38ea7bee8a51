import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
// In your own program: import { SelfHostedRedis } from "pulumi-redis-platform";
import { SelfHostedRedis } from "../../components";

/** A kubeconfig for an EKS cluster, authenticating through `aws eks get-token`. */
export function kubeconfigFor(name: pulumi.Input<string>, endpoint: pulumi.Input<string>, caData: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.all([name, endpoint, caData]).apply(([clusterName, server, ca]) =>
        JSON.stringify({
            apiVersion: "v1",
            kind: "Config",
            clusters: [{ name: clusterName, cluster: { server, "certificate-authority-data": ca } }],
            contexts: [{ name: clusterName, context: { cluster: clusterName, user: clusterName } }],
            "current-context": clusterName,
            users: [{ name: clusterName, user: { exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: "aws", args: ["eks", "get-token", "--cluster-name", clusterName] } } }],
        }),
    );
}

/**
 * An EKS cluster, a Kubernetes provider built from its endpoint and CA, and a self-hosted Sentinel
 * deployment (1 primary, 2 replicas, 3 sentinels, TLS, ACL users) in that cluster: every Kubernetes object
 * of `SelfHostedRedis` goes through the provider given in its resource options.
 */
export function program() {
    const config = new pulumi.Config();
    const cluster = new aws.eks.Cluster("apps", {
        roleArn: config.require("clusterRoleArn"),
        vpcConfig: { subnetIds: config.requireObject<string[]>("subnetIds") },
    });
    const provider = new k8s.Provider("apps", { kubeconfig: kubeconfigFor(cluster.name, cluster.endpoint, cluster.certificateAuthority.data) });

    const redis = new SelfHostedRedis(
        "sessions",
        {
            topology: "sentinel",
            platform: "kubernetes",
            environment: "staging",
            profile: "session",
            kubernetes: { namespace: "sessions", clientNamespaces: ["web"] },
            // Backups to S3 need a bucket and an AWS CLI image; this example keeps to Redis itself.
            backup: { enabled: false },
        },
        { providers: { kubernetes: provider } },
    );

    return {
        connection: redis.connection,
        credentials: redis.credentials,
        caCertPem: redis.certificateAuthority!.caCertPem,
        // The platform's children are public: point DNS or a mesh at the Services clients use.
        clientServices: redis.kubernetes!.clientServices.map((service) => service.metadata.name),
    };
}
