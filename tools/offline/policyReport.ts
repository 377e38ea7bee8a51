import type { PolicyPackConfig } from "@pulumi/policy";
import { ALL_POLICIES } from "../../policies/rules/all";
import type { StackOutputFact } from "../../policies/rules/stack";
import { AnyPolicy, choosePolicyConfig, describePolicyConfig, PolicyConfigSource, resolvePolicySettings } from "./policyConfig";
import { evaluatePolicies, Finding } from "./policyRunner";
import { OfflineTarget, shippedTarget } from "./offlineTarget";
import { OfflineStackRun, OfflineStatus, runTargetOffline, targetConfig } from "./programRun";
import { formatTable } from "./table";

/** The result of checking one stack against the pack offline. */
export interface PolicyReport {
    stack: string;
    status: OfflineStatus;
    error?: string;
    /** Which policy config set the levels. */
    policyConfig: PolicyConfigSource;
    /** Rules that ran (not disabled for this stack). */
    rules: number;
    /** Resources the program registered. */
    resources: number;
    violations: { mandatory: number; advisory: number };
    findings: Finding[];
}

/** Checks an already-run stack against the given policies and pack config. */
export async function policyReportFor(
    run: OfflineStackRun,
    packConfig: PolicyPackConfig,
    policies: readonly AnyPolicy[] = ALL_POLICIES,
    policyConfig: PolicyConfigSource = { kind: "pack" },
): Promise<PolicyReport> {
    const settings = resolvePolicySettings(policies, packConfig);
    const rules = [...settings.values()].filter((setting) => setting.level !== "disabled").length;
    const outputs: Record<string, StackOutputFact> = Object.fromEntries(Object.entries(run.outputs).map(([key, output]) => [key, { value: output.value, secret: output.secret }]));
    const findings = run.status === "ok" ? await evaluatePolicies(run.resources, outputs, policies, settings) : [];
    return {
        stack: run.stack,
        status: run.status,
        ...(run.error === undefined ? {} : { error: run.error }),
        policyConfig,
        rules,
        resources: run.resources.length,
        violations: {
            mandatory: findings.filter((finding) => finding.level === "mandatory").length,
            advisory: findings.filter((finding) => finding.level === "advisory").length,
        },
        findings,
    };
}

/**
 * Runs a target's program offline and checks it against the pack. The levels come from `policyConfigFile`
 * when given, else from `policies/config.<stack>.json` for a shipped stack, else from the defaults of the
 * stack's `redis:environment`, else from the pack itself.
 */
export async function policyReportForTarget(target: OfflineTarget, options: { policyConfigFile?: string; shipped?: boolean } = {}): Promise<PolicyReport> {
    const environment = targetConfig(target).config["redis:environment"];
    const chosen = choosePolicyConfig({ explicit: options.policyConfigFile, stack: options.shipped === true ? target.stack : undefined, environment });
    return policyReportFor(await runTargetOffline(target), chosen.config, ALL_POLICIES, chosen.source);
}

/** Runs a shipped stack's real program offline and checks it with its `policies/config.<stack>.json`. */
export async function policyReport(stack: string): Promise<PolicyReport> {
    return policyReportForTarget(shippedTarget(stack), { shipped: true });
}

/** Whether the report should fail a build: any mandatory violation, or a stack that could not be checked. */
export function reportFails(report: PolicyReport): boolean {
    return report.status !== "ok" || report.violations.mandatory > 0;
}

/** The verdict in one word: `pass`/`fail` by mandatory violations, or why nothing was checked. */
export function reportVerdict(report: PolicyReport): "passed" | "failed" | "unavailable" | "error" {
    if (report.status === "unavailable") {
        return "unavailable";
    }
    if (report.status === "failed") {
        return "error";
    }
    return report.violations.mandatory > 0 ? "failed" : "passed";
}

/** The human-readable report: the findings table and a summary line naming the policy config used. */
export function formatPolicyReport(report: PolicyReport): string {
    if (report.status === "unavailable") {
        return `stack ${report.stack}: NOT CHECKED: ${report.error}\nThe stack's backend is not available yet, so no resource exists to check. This is not a pass.`;
    }
    if (report.status === "failed") {
        return `stack ${report.stack}: NOT CHECKED: the program failed: ${report.error}`;
    }
    const table =
        report.findings.length === 0
            ? "no violations"
            : formatTable(
                  ["RULE", "RESOURCE", "LEVEL", "MESSAGE"],
                  report.findings.map((finding) => [finding.rule, finding.resource, finding.level, finding.message]),
              );
    const verdict = report.violations.mandatory > 0 ? "FAILED" : "passed";
    const summary = `stack ${report.stack}: ${verdict}: ${report.rules} rules on ${report.resources} resources: ${report.violations.mandatory} mandatory, ${report.violations.advisory} advisory violation(s)`;
    return `${table}\n\n${summary}\npolicy config: ${describePolicyConfig(report.policyConfig)}`;
}

/**
 * The JSON form, one line: `{"stack","status","rules","resources","violations","findings","policyConfig"}`
 * (plus `error`). `status` is `pass` or `fail` (any mandatory violation), or `unavailable`/`error` when
 * nothing was checked; every finding carries the resource's URN.
 */
export function policyReportJson(report: PolicyReport): string {
    return JSON.stringify({
        stack: report.stack,
        status: reportVerdict(report),
        rules: report.rules,
        resources: report.resources,
        violations: report.violations,
        findings: report.findings,
        policyConfig: { ...report.policyConfig, description: describePolicyConfig(report.policyConfig) },
        ...(report.error === undefined ? {} : { error: report.error }),
    });
}
