import { strict as assert } from "node:assert";
import { execFileSync, spawnSync } from "node:child_process";
import { ALL_POLICIES } from "../../policies/rules/all";
import { PROJECT_ROOT } from "../../stacks/config/stackFile";
import { resolveOutputs, runWithMocks } from "../../tools/offline/mockRuntime";
import { resolvePolicySettings } from "../../tools/offline/policyConfig";
import { formatPolicyReport, policyReport, policyReportFor, policyReportJson, reportFails } from "../../tools/offline/policyReport";
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
    it("flags exactly what is wrong, including a plain stack output that carries a password", async () => {
        const run = await runWithMocks(fixtureProgram, { stack: "fixture" });
        assert.equal(run.error, undefined);
        const outputs = await resolveOutputs(run.result as unknown as Record<string, unknown>);
        const report = await policyReportFor({ stack: "fixture", status: "ok", resources: run.resources, outputs }, {});
        assert.deepEqual(
            report.findings.map((finding) => [finding.rule, finding.resource, finding.level, finding.message]),
            [
                ["elasticache-rbac-default-user-disabled", "default-user", "mandatory", 'the "default" user has accessString "on ~* +@all": it must be "off" so unauthenticated clients get nothing'],
                ["security-group-no-public-redis", "open", "mandatory", "ingress opens port 6379 to 0.0.0.0/0: allow the application's security group or network instead"],
                ["stack-secret-outputs", "(stack)", "mandatory", "stack output leakyUrl holds a credential but is not secret: wrap it in pulumi.secret"],
            ],
        );
        assert.deepEqual(report.violations, { mandatory: 3, advisory: 0 });
        assert.equal(reportFails(report), true);
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
            assert.deepEqual(
                report.findings.filter((finding) => finding.level === "mandatory"),
                [],
            );
            assert.ok(report.resources > 0);
        });
    }
});

describe("npm run policy", () => {
    it("prints the table and summary, ends with the JSON line, and exits by the verdict", () => {
        const stack = STACKS.includes("prod") ? "prod" : STACKS[0];
        const result = spawnSync(process.execPath, ["--import", "tsx", "tools/policy.ts", "--stack", stack, "--json"], { cwd: PROJECT_ROOT, encoding: "utf8" });
        const lines = result.stdout.trim().split("\n");
        const json = JSON.parse(lines[lines.length - 1]);
        assert.deepEqual(Object.keys(json).slice(0, 5), ["stack", "rules", "resources", "violations", "findings"]);
        assert.equal(json.stack, stack);
        assert.equal(json.rules, ALL_POLICIES.length);
        const expected = json.status === "unavailable" ? 3 : json.violations.mandatory > 0 ? 1 : 0;
        assert.equal(result.status, expected, result.stderr);
    });

    it("refuses a missing --stack with exit code 2", () => {
        assert.throws(() => execFileSync(process.execPath, ["--import", "tsx", "tools/policy.ts"], { cwd: PROJECT_ROOT, stdio: "pipe" }), (error: { status: number }) => error.status === 2);
    });
});
