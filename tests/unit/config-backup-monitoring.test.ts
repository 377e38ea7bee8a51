import { strict as assert } from "node:assert";
import { ConfigError } from "../../stacks/config/errors";
import { parseStackConfig } from "../../stacks/config/parse";

/** The `redis:backup` and `redis:monitoring` keys added for self-hosted backups and e-mail alerts, and their cross-key checks. */

function configMap(values: Record<string, unknown>): Record<string, string> {
    return Object.fromEntries(Object.entries(values).map(([key, value]) => [`redis:${key}`, typeof value === "string" ? value : JSON.stringify(value)]));
}

function problemsOf(values: Record<string, unknown>): string[] {
    try {
        parseStackConfig("test", configMap(values));
    } catch (error) {
        assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
        return error.problems.map((problem) => `${problem.key}: ${problem.message}`);
    }
    assert.fail("the config was accepted");
}

const docker = { backend: "selfhosted", selfhosted: { topology: "standalone", platform: "docker" } };
const kubernetes = { backend: "selfhosted", selfhosted: { topology: "standalone", platform: "kubernetes" } };

describe("stack config: backup and monitoring keys", () => {
    it("defaults: no snapshot export, target auto, no SMTP", () => {
        const config = parseStackConfig("test", configMap(docker));
        assert.deepEqual(
            { exportSnapshots: config.backup.exportSnapshots, target: config.backup.target, kmsKeyArn: config.backup.kmsKeyArn, s3Endpoint: config.backup.s3Endpoint, prefix: config.backup.prefix, smtp: config.monitoring.smtp },
            { exportSnapshots: false, target: "auto", kmsKeyArn: undefined, s3Endpoint: undefined, prefix: undefined, smtp: undefined },
        );
    });

    it("accepts a full SMTP block and an S3-compatible target on Kubernetes", () => {
        const config = parseStackConfig(
            "test",
            {
                ...configMap({
                    ...kubernetes,
                    monitoring: { receivers: ["email"], emailTo: "oncall@example.com", smtp: { smarthost: "smtp.example.com:587", from: "redis@example.com", username: "alerts" } },
                    backup: { target: "s3", s3Endpoint: "https://minio.example.com", bucketName: "redis-backups", prefix: "staging/redis" },
                }),
                "redis:smtpPassword": "not-shown",
            },
        );
        assert.deepEqual(config.monitoring.smtp, { smarthost: "smtp.example.com:587", from: "redis@example.com", username: "alerts" });
        assert.equal(config.backup.s3Endpoint, "https://minio.example.com");
    });

    it("refuses malformed values, naming the key", () => {
        assert.deepEqual(problemsOf({ ...docker, backup: { kmsKeyArn: "my-key" } }), [
            "redis:backup.kmsKeyArn: must be a KMS key or alias ARN such as arn:aws:kms:eu-west-1:111122223333:key/<id>",
        ]);
        assert.deepEqual(problemsOf({ ...docker, monitoring: { smtp: { smarthost: "smtp.example.com", from: "redis@example.com" } } }), [
            "redis:monitoring.smtp.smarthost: must be host:port such as smtp.example.com:587",
        ]);
        assert.deepEqual(problemsOf({ ...docker, backup: { prefix: "/redis/" } }), [
            "redis:backup.prefix: must be path segments of A-Z a-z 0-9 . _ - joined by '/', no leading or trailing '/'",
        ]);
    });

    it("needs the SMTP server with the email receiver", () => {
        const problems = problemsOf({ ...docker, monitoring: { receivers: ["email"], emailTo: "ops@example.com" } });
        assert.ok(problems.includes('redis:monitoring.smtp: is required when monitoring.receivers includes "email": set smarthost and from'), problems.join("\n"));
    });

    it("refuses snapshot export outside ElastiCache, S3 on Docker and a volume on Kubernetes", () => {
        assert.deepEqual(problemsOf({ ...docker, backup: { exportSnapshots: true } }), [
            'redis:backup.exportSnapshots: only applies to backend "elasticache", not "selfhosted": self-hosted backups are written to the bucket directly',
        ]);
        assert.deepEqual(problemsOf({ ...docker, backup: { target: "s3" } }), [
            'redis:backup.target: cannot be "s3" on platform "docker": the Docker backup container has no AWS CLI; use "volume" (copy the volume to a bucket from the host)',
        ]);
        assert.deepEqual(problemsOf({ ...kubernetes, backup: { target: "volume" } }), [
            'redis:backup.target: cannot be "volume" on platform "kubernetes": backups must leave the cluster; use "s3" (AWS or an S3-compatible s3Endpoint)',
        ]);
    });

    it("needs a bucket name and no KMS key with an S3-compatible endpoint", () => {
        assert.deepEqual(problemsOf({ ...kubernetes, backup: { s3Endpoint: "https://minio.example.com", kmsKeyArn: "arn:aws:kms:eu-west-1:111122223333:key/abcd" } }), [
            "redis:backup.bucketName: is required with backup.s3Endpoint: the program creates buckets only on AWS S3",
            "redis:backup.kmsKeyArn: does not apply with backup.s3Endpoint: S3-compatible stores encrypt with their own keys",
        ]);
    });
});
