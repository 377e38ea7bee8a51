import type { PolicyPackConfig } from "@pulumi/policy";
import { ALL_POLICIES } from "../../policies/rules/all";
import type { StackOutputFact } from "../../policies/rules/stack";
import { AnyPolicy, readPolicyConfig, resolvePolicySettings } from "./policyConfig";
import { evaluatePolicies, Finding } from "./policyRunner";
import { OfflineStackRun, OfflineStatus, runStackOffline } from "./stackRun";
import { formatTable } from "./table";

/** The result of checking one stack against the pack offline. */
export interface PolicyReport {
    stack: string;
    status: OfflineStatus;
    error?: string;
    /** Rules that ran (not disabled for this stack). */
    rules: number;
    /** Resources the program registered. */
    resources: number;
    violations: { mandatory: number; advisory: number };
    findings: Finding[];
}

/** Checks an already-run stack against the given policies and pack config. */
export async function policyReportFor(run: OfflineStackRun, packConfig: PolicyPackConfig, policies: readonly AnyPolicy[] = ALL_POLICIES): Promise<PolicyReport> {
    const settings = resolvePolicySettings(policies, packConfig);
    const rules = [...settings.values()].filter((setting) => setting.level !== "disabled").length;
    const outputs: Record<string, StackOutputFact> = Object.fromEntries(Object.entries(run.outputs).map(([key, output]) => [key, { value: output.value, secret: output.secret }]));
    const findings = run.status === "ok" ? await evaluatePolicies(run.resources, outputs, policies, settings) : [];
    return {
        stack: run.stack,
        status: run.status,
        ...(run.error === undefined ? {} : { error: run.error }),
        rules,
        resources: run.resources.length,
        violations: {
            mandatory: findings.filter((finding) => finding.level === "mandatory").length,
            advisory: findings.filter((finding) => finding.level === "advisory").length,
        },
        findings,
    };
}

/** Runs the stack's real program offline and checks it against the pack with `policies/config.<stack>.json`. */
export async function policyReport(stack: string): Promise<PolicyReport> {
    const packConfig = readPolicyConfig(stack);
    return policyReportFor(await runStackOffline(stack), packConfig);
}

/** Whether the report should fail a build: any mandatory violation, or a stack that could not be checked. */
export function reportFails(report: PolicyReport): boolean {
    return report.status !== "ok" || report.violations.mandatory > 0;
}

/** The human-readable report: the findings table and a summary line. */
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
    return `${table}\n\n${summary}`;
}

/** The one-line JSON form: `{"stack","rules","resources","violations","findings"}` plus status and error. */
export function policyReportJson(report: PolicyReport): string {
    return JSON.stringify({
        stack: report.stack,
        rules: report.rules,
        resources: report.resources,
        violations: report.violations,
        findings: report.findings,
        status: report.status,
        ...(report.error === undefined ? {} : { error: report.error }),
    });
}
