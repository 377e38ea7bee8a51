import * as aws from "@pulumi/aws";
import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

/**
 * A small program that registers real provider resources, some of them wrong on purpose, and feeds a
 * generated password everywhere a careless program might leak it. Used to prove the offline runner and the
 * synth redaction end to end under the mock runtime.
 */
export function fixtureProgram() {
    const password = new random.RandomPassword("app-password", { length: 32 });
    new aws.elasticache.User("default-user", { userId: "fixture-default", userName: "default", engine: "redis", accessString: "on ~* +@all", passwords: [password.result] });
    new aws.vpc.SecurityGroupIngressRule("open", { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 6379, toPort: 6379, cidrIpv4: "0.0.0.0/0" });
    new k8s.core.v1.Secret("passwords", { metadata: { namespace: "redis" }, stringData: { app: password.result } });
    new docker.Container("redis-0", {
        image: "redis:7.2.5",
        ports: [{ internal: 6379, external: 7000, ip: "127.0.0.1" }],
        uploads: [
            { file: "/etc/redis/passwords/app", content: password.result },
            { file: "/etc/redis/passwords/app.b64", contentBase64: password.result.apply((value) => Buffer.from(value).toString("base64")) },
        ],
    });
    return {
        url: pulumi.secret(pulumi.interpolate`rediss://app:${password.result}@redis.example:6379`),
        leakyUrl: pulumi.interpolate`rediss://app:${pulumi.unsecret(password.result)}@redis.example:6379`,
        host: "redis.example",
    };
}
