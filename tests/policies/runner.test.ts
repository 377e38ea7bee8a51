import { strict as assert } from "node:assert";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ALL_POLICIES } from "../../policies/rules/all";
import { PROJECT_ROOT, stackFilePath } from "../../stacks/config/stackFile";
import { resolveOutputs, runWithMocks } from "../../tools/offline/mockRuntime";
import { parsePolicyArgs } from "../../tools/offline/policyArgs";
import { choosePolicyConfig, describePolicyConfig, policyConfigPath, resolvePolicySettings } from "../../tools/offline/policyConfig";
import { formatPolicyReport, policyReport, policyReportFor, policyReportForTarget, policyReportJson, reportFails, reportVerdict } from "../../tools/offline/policyReport";
import { fixtureProgram } from "./fixtureProgram";
import { STACKS } from "./helpers";


describe("policy config resolution", () => {
    const policies = ALL_POLICIES.filter((policy) => ["elasticache-snapshot-retention", "upstash-tls"].includes(policy.name));

    it("keeps the pack's levels and config defaults without a config", () => {
        const settings = resolvePolicySettings(policies, {});
        assert.deepEqual(settings.get("elasticache-snapshot-retention"), { level: "mandatory", config: { minimumDays: 1 } });
        assert.deepEqual(settings.get("upstash-tls"), { level: "mandatory", config: {} });
    });

    it("applies all, then per-policy levels and properties", () => {
        const settings = resolvePolicySettings(policies, { all: "advisory", "elasticache-snapshot-retention": { enforcementLevel: "mandatory", minimumDays: 7 } });
        assert.deepEqual(settings.get("elasticache-snapshot-retention"), { level: "mandatory", config: { minimumDays: 7 } });
        assert.deepEqual(settings.get("upstash-tls"), { level: "advisory", config: {} });
        assert.equal(resolvePolicySettings(policies, { "upstash-tls": "disabled" }).get("upstash-tls")?.level, "disabled");
    });

    it("refuses unknown rules, unknown properties and unknown levels", () => {
        assert.throws(() => resolvePolicySettings(policies, { "upstash-tsl": "advisory" }), /unknown policy "upstash-tsl"/);
        assert.throws(() => resolvePolicySettings(policies, { "elasticache-snapshot-retention": { minimumDay: 3 } }), /unknown property "minimumDay"/);
        assert.throws(() => resolvePolicySettings(policies, { "upstash-tls": "strict" as "advisory" }), /enforcement level "strict"/);
    });
});

describe("the offline runner on a program with real provider resources", () => {
    it("flags exactly what is wrong, naming each resource and URN, including a plain stack output that carries a password", async () => {
        const run = await runWithMocks(fixtureProgram, { stack: "fixture" });
        assert.equal(run.error, undefined);
        const outputs = await resolveOutputs(run.result as unknown as Record<string, unknown>);
        const report = await policyReportFor({ stack: "fixture", status: "ok", resources: run.resources, outputs }, {});
        assert.deepEqual(
            report.findings.map((finding) => [finding.rule, finding.resource, finding.urn, finding.message]),
            [
                [
                    "elasticache-rbac-default-user-disabled",
                    "default-user",
                    "urn:pulumi:fixture::redis-platform::aws:elasticache/user:User::default-user",
                    'the "default" user has accessString "on ~* +@all": it must be "off" so unauthenticated clients get nothing',
                ],
                [
                    "redis-app-users-least-privilege",
                    "default-user",
                    "urn:pulumi:fixture::redis-platform::aws:elasticache/user:User::default-user",
                    'user "default" may use every command (+@all) and every key (~*): grant the application its own key prefix and take away @admin and @dangerous',
                ],
                [
                    "security-group-no-public-redis",
                    "open",
                    "urn:pulumi:fixture::redis-platform::aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule::open",
                    "open: ingress opens Redis port 6379 to 0.0.0.0/0 (3702258688 public IPv4 addresses): allow the application's security group or private network instead",
                ],
                [
                    "stack-secret-outputs",
                    "redis-platform-fixture",
                    "urn:pulumi:fixture::redis-platform::pulumi:pulumi:Stack::redis-platform-fixture",
                    "stack output leakyUrl holds a credential but is not secret: wrap it in pulumi.secret",
                ],
            ],
        );
        assert.deepEqual(report.violations, { mandatory: 4, advisory: 0 });
        assert.equal(reportFails(report), true);
        assert.equal(reportVerdict(report), "failed");
        assert.doesNotMatch(formatPolicyReport(report), /MOCK-SECRET/);
        assert.doesNotMatch(policyReportJson(report), /MOCK-SECRET/);
    });
});

describe("every shipped stack against the pack", () => {
    for (const stack of STACKS) {
        it(`${stack}: passes with zero mandatory violations, or says plainly that it was not checked`, async () => {
            const report = await policyReport(stack);
            if (report.status === "unavailable") {
                assert.match(formatPolicyReport(report), new RegExp(`^stack ${stack}: NOT CHECKED: .* is not available yet`));
                assert.equal(reportFails(report), true);
                return;
            }
            assert.equal(report.status, "ok", report.error);
            assert.deepEqual(report.policyConfig, { kind: "file", path: `policies/config.${stack}.json` });
            assert.deepEqual(
                report.findings.filter((finding) => finding.level === "mandatory"),
                [],
            );
            assert.ok(report.resources > 0);
        });
    }
});

/** Checks a shipped stack's file with one edit, written to a temporary directory as `Pulumi.<stack>.yaml`. */
async function reportOnEdited(shipped: string, stack: string, edit: (text: string) => string) {
    const directory = mkdtempSync(path.join(os.tmpdir(), "policy-"));
    try {
        const stackFile = path.join(directory, `Pulumi.${stack}.yaml`);
        const original = readFileSync(stackFilePath(shipped), "utf8");
        assert.notEqual(edit(original), original, "the edit applies");
        writeFileSync(stackFile, edit(original));
        return await policyReportForTarget({ stack, stackFile });
    } finally {
        rmSync(directory, { recursive: true, force: true });
    }
}

describe("the real program with a stack's safeguards switched off", () => {
    it("prod without ElastiCache alarms fails stack-monitoring-alerts, naming the replication group", async () => {
        const report = await reportOnEdited("prod", "prod-quiet", (text) => text.replace("  redis:elasticache:\n", "  redis:elasticache:\n    alarms:\n      enabled: false\n"));
        assert.equal(report.status, "ok", report.error);
        assert.deepEqual(report.policyConfig, { kind: "environment", environment: "prod", path: "policies/environments/prod.json" });
        const mandatory = report.findings.filter((finding) => finding.level === "mandatory");
        assert.deepEqual(
            mandatory.map((finding) => [finding.rule, finding.resource, finding.type]),
            [["stack-monitoring-alerts", "redis-elasticache-group-rg", "aws:elasticache/replicationGroup:ReplicationGroup"]],
        );
        assert.match(mandatory[0].urn, /^urn:pulumi:prod-quiet::redis-platform::.*aws:elasticache\/replicationGroup:ReplicationGroup::redis-elasticache-group-rg$/);
    });

    it("staging backing up to an S3-compatible store over plain http fails backup-endpoint-tls on the CronJob", async () => {
        const report = await reportOnEdited("staging", "staging-minio", (text) =>
            text.replace('retentionDays: 7', `retentionDays: 7\n    s3Endpoint: http://minio.storage.svc:9000\n    bucketName: redis-backups\n    uploadImage: amazon/aws-cli:2.17.0@sha256:${"a".repeat(64)}`),
        );
        assert.equal(report.status, "ok", report.error);
        const mandatory = report.findings.filter((finding) => finding.level === "mandatory");
        assert.deepEqual(
            mandatory.map((finding) => [finding.rule, finding.resource, finding.message.split(" uses ")[0]]),
            [
                ["backup-endpoint-tls", "redis-kubernetes-backup-cronjob", 'container "take" BACKUP_S3_ENDPOINT=http://minio.storage.svc:9000'],
                ["backup-endpoint-tls", "redis-kubernetes-backup-cronjob", 'container "upload" BACKUP_S3_ENDPOINT=http://minio.storage.svc:9000'],
            ],
        );
    });
});

describe("choosing the policy config", () => {
    it("prefers --policy-config, then the shipped stack's file, then the stack's environment, then the pack", () => {
        const explicit = choosePolicyConfig({ explicit: policyConfigPath("dev"), stack: "prod", environment: "prod" });
        assert.deepEqual(explicit.source, { kind: "file", path: policyConfigPath("dev") });
        assert.deepEqual(choosePolicyConfig({ stack: "prod", environment: "dev" }).source, { kind: "file", path: "policies/config.prod.json" });
        const fresh = choosePolicyConfig({ stack: "qa-eu", environment: "staging" });
        assert.deepEqual(fresh.source, { kind: "environment", environment: "staging", path: "policies/environments/staging.json" });
        assert.equal(describePolicyConfig(fresh.source), "defaults for environment staging (policies/environments/staging.json)");
        assert.deepEqual(choosePolicyConfig({}), { config: {}, source: { kind: "pack" } });
        assert.throws(() => choosePolicyConfig({ environment: "qa" }), /redis:environment "qa" has no default policy levels: use one of dev, prod, staging, or pass --policy-config/);
        assert.throws(() => choosePolicyConfig({ explicit: "/nonexistent.json" }), /--policy-config \/nonexistent.json: no such file/);
    });
});

describe("policy arguments", () => {
    it("accepts the documented flags and refuses the rest by name", () => {
        assert.deepEqual(parsePolicyArgs(["-h"]), { help: true });
        const shipped = parsePolicyArgs(["--stack", "prod", "--json"]);
        assert.ok(!shipped.help && shipped.shipped && shipped.json && shipped.target.stack === "prod");
        const own = parsePolicyArgs(["--stack-file", "../x/Pulumi.qa.yaml", "--program", "p.ts", "--policy-config", "c.json"], "/home/team/infra");
        assert.ok(!own.help);
        assert.deepEqual(own.target, { stack: "qa", stackFile: "/home/team/x/Pulumi.qa.yaml", program: "/home/team/infra/p.ts" });
        assert.equal(own.policyConfigFile, "/home/team/infra/c.json");
        assert.throws(() => parsePolicyArgs(["--stack", "prod", "--colour"]), /^Error: unknown flag --colour \(see --help\)$/);
        assert.throws(() => parsePolicyArgs(["--stack"]), /--stack needs a value/);
        assert.throws(() => parsePolicyArgs(["prod"]), /unexpected argument prod/);
        assert.throws(() => parsePolicyArgs(["--stack", "nope"]), /--stack nope: no Pulumi.nope.yaml here; the stacks are: dev, example-k8s-cluster, .*prod, staging/);
        assert.throws(() => parsePolicyArgs(["--stack-file", "/x/stack.yaml"]), /name it Pulumi.<stack>.yaml/);
        assert.throws(() => parsePolicyArgs([]), /give --stack <name> \(one of dev, /);
    });
});

function policyCli(args: string[]) {
    return spawnSync(process.execPath, ["--import", "tsx", "tools/policy.ts", ...args], { cwd: PROJECT_ROOT, encoding: "utf8" });
}

describe("npm run policy", () => {
    it("--json prints one JSON line and nothing else on stdout, with a status that matches the violations and the exit code", () => {
        const result = policyCli(["--stack", "prod", "--json"]);
        const lines = result.stdout.trim().split("\n");
        assert.equal(lines.length, 1, result.stdout);
        const json = JSON.parse(lines[0]);
        assert.deepEqual(Object.keys(json), ["stack", "status", "rules", "resources", "violations", "findings", "policyConfig"]);
        assert.equal(json.stack, "prod");
        assert.equal(json.status, json.violations.mandatory > 0 ? "failed" : "passed");
        assert.equal(json.policyConfig.description, "policies/config.prod.json");
        assert.equal(result.status, json.status === "passed" ? 0 : 1, result.stderr);
        assert.match(result.stderr, /stack prod: passed: /);
    });

    it("checks a team's own program with a stack file outside the checkout, at its environment's levels, writing nothing", () => {
        const directory = mkdtempSync(path.join(os.tmpdir(), "policy-"));
        const before = execFileSync("git", ["status", "--porcelain"], { cwd: PROJECT_ROOT, encoding: "utf8" });
        try {
            const stackFile = path.join(directory, "Pulumi.qa.yaml");
            writeFileSync(stackFile, "config:\n  redis:environment: prod\n");
            const result = policyCli(["--stack-file", stackFile, "--program", "tests/policies/programs/ownProgram.ts", "--json"]);
            assert.equal(result.status, 1, result.stderr);
            const json = JSON.parse(result.stdout);
            assert.equal(json.status, "failed");
            assert.equal(json.stack, "qa");
            assert.equal(json.policyConfig.description, "defaults for environment prod (policies/environments/prod.json)");
            assert.deepEqual(
                json.findings.map((finding: { rule: string; urn: string }) => [finding.rule, finding.urn]),
                [
                    ["security-group-no-public-ingress", "urn:pulumi:qa::redis-platform::aws:ec2/securityGroup:SecurityGroup::team-redis"],
                    ["security-group-no-public-redis", "urn:pulumi:qa::redis-platform::aws:ec2/securityGroup:SecurityGroup::team-redis"],
                ],
            );
            assert.ok(json.resources > 10, "the library's BackupBucket and its children were registered and checked");
        } finally {
            rmSync(directory, { recursive: true, force: true });
        }
        assert.equal(execFileSync("git", ["status", "--porcelain"], { cwd: PROJECT_ROOT, encoding: "utf8" }), before);
    });

    it("--help says what it does and exits 0; bad usage names the problem and exits 2", () => {
        const help = policyCli(["--help"]);
        assert.equal(help.status, 0);
        for (const flag of ["--stack", "--stack-file", "--program", "--policy-config", "--json", "Exit codes", "about 5 s"]) {
            assert.ok(help.stdout.includes(flag), flag);
        }
        const unknown = policyCli(["--stack", "prod", "--verbose"]);
        assert.equal(unknown.status, 2);
        assert.match(unknown.stderr, /unknown flag --verbose/);
        const missing = policyCli(["--stack", "prodd"]);
        assert.equal(missing.status, 2);
        assert.match(missing.stderr, /the stacks are: .*prod/);
    });
});
