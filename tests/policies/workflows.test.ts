import { validateWorkflow } from "@action-validator/core";
import { strict as assert } from "node:assert";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { PROJECT_ROOT, readStackFile } from "../../stacks/config/stackFile";
import { stackCiPlan } from "../../tools/ci/stackPlan";
import { existingStacks } from "../../tools/cli/stacks";

const DIRECTORY = path.join(PROJECT_ROOT, ".github", "workflows");
const FILES = readdirSync(DIRECTORY).filter((file) => /\.ya?ml$/.test(file)).sort();
const read = (file: string) => readFileSync(path.join(DIRECTORY, file), "utf8");
const workflow = (file: string) => parse(read(file)) as Record<string, any>;
type Step = { uses?: string; run?: string; with?: Record<string, unknown> };
const stepsUsing = (job: Record<string, any>, action: string): Step[] => (job.steps as Step[]).filter((step) => step.uses?.startsWith(action));
const runsOf = (job: Record<string, any>): string[] => (job.steps as Step[]).flatMap((step) => (step.run === undefined ? [] : [step.run.trim()]));

const SCRIPTS = (JSON.parse(readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;

/**
 * The commands a CI step ends up running: `.ci/run` is read line by line, `npm test` and `npm run <x>` are
 * replaced by their package.json scripts (split at `&&`), recursively.
 */
function expandCommand(command: string): string[] {
    if (command === ".ci/run") {
        return readFileSync(path.join(PROJECT_ROOT, ".ci", "run"), "utf8")
            .split("\n")
            .map((line) => line.trim())
            .filter((line) => line !== "" && !line.startsWith("#") && !/^(set|cd) /.test(line))
            .flatMap(expandCommand);
    }
    const script = command === "npm test" ? "test" : /^npm run (\S+)$/.exec(command)?.[1];
    if (script !== undefined) {
        assert.ok(SCRIPTS[script], `package.json has a "${script}" script`);
        return SCRIPTS[script].split("&&").flatMap((part) => expandCommand(part.trim()));
    }
    return [command];
}

describe("GitHub Actions workflows", () => {
    it("exist", () => assert.deepEqual(FILES, ["ci.yml", "deploy.yml"]));

    for (const file of FILES) {
        it(`${file} passes action-validator (the workflow JSON schema)`, () => {
            assert.deepEqual(validateWorkflow(read(file)).errors, []);
        });
    }

    it("the linter does catch a broken workflow", () => {
        assert.notDeepEqual(validateWorkflow("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uzes: actions/checkout@v4\n").errors, []);
    });

    it("CI runs on every pull request and push, cancels superseded runs, runs .ci/run and reports every stack", () => {
        const ci = workflow("ci.yml");
        assert.ok("pull_request" in ci.on && "push" in ci.on);
        assert.equal(ci.concurrency["cancel-in-progress"], true);
        assert.deepEqual(runsOf(ci.jobs.test), [".ci/run"]);
        const report = runsOf(ci.jobs.report).join("\n");
        // The human report (table and verdict) goes to the job summary whole; --json would leave only JSON there.
        assert.match(report, /npm run --silent policy -- --stack "\$STACK" > policy\.txt/);
        assert.match(report, /echo '```'\n\s*cat policy\.txt\n\s*echo '```'/);
        assert.match(report, /npm run --silent synth -- --stack "\$STACK" >> "\$GITHUB_STEP_SUMMARY"/);
        assert.match(report, /GITHUB_STEP_SUMMARY/);
        assert.equal(ci.jobs.report.strategy.matrix.stack, "${{ fromJSON(needs.stacks.outputs.stacks) }}");
        assert.match(runsOf(ci.jobs.stacks).join("\n"), /npm run --silent ci:stacks -- --json/);
    });

    it("CI runs no step twice: every command the test job reaches through .ci/run and npm scripts runs once, and the report job repeats none of npm test", () => {
        const ci = workflow("ci.yml");
        const leaves = runsOf(ci.jobs.test).flatMap((command) => expandCommand(command));
        assert.deepEqual(leaves.filter((leaf, index) => leaves.indexOf(leaf) !== index), []);
        for (const suite of ["tsc --noEmit -p .", "mocha --config .mocharc.unit.json", "mocha --config .mocharc.policies.json", "mocha --config .mocharc.integration.json", "mocha --config .mocharc.day2.json"]) {
            assert.ok(leaves.includes(suite), `npm test runs ${suite}`);
        }
        // The snapshot check is part of the policy suite (tests/policies/synth.test.ts).
        assert.doesNotMatch(runsOf(ci.jobs.report).join("\n"), /--check/);
    });

    it("previews each stack CI can preview, with the policy pack, one edited comment per stack and OIDC; says why for the others", () => {
        const preview = workflow("ci.yml").jobs.preview;
        assert.match(preview.if, /github\.event\.pull_request\.head\.repo\.full_name == github\.repository/);
        assert.equal(preview.permissions["id-token"], "write");
        assert.equal(preview.permissions["pull-requests"], "write");
        assert.equal(preview.strategy.matrix.include, "${{ fromJSON(needs.stacks.outputs.plans) }}");
        const steps = preview.steps as (Step & { if?: string; env?: Record<string, string>; name?: string })[];
        assert.equal(steps[0].if, "${{ !matrix.preview }}");
        assert.match(steps[0].run ?? "", /::notice title=No preview of \$STACK::\$REASON/);
        const kube = steps.find((step) => step.name?.startsWith("Kubeconfig"));
        assert.equal(kube?.env?.KUBECONFIG_CONTENT, "${{ secrets[matrix.kubeconfigSecret] }}");
        const [aws] = stepsUsing(preview, "aws-actions/configure-aws-credentials@") as (Step & { if?: string })[];
        assert.equal(aws.with?.["role-to-assume"], "${{ vars.AWS_PREVIEW_ROLE_ARN }}");
        assert.match(aws.if ?? "", /contains\(matrix\.credentials, 'aws'\)/);
        const [pulumi] = stepsUsing(preview, "pulumi/actions@") as (Step & { if?: string })[];
        assert.match(pulumi.if ?? "", /^matrix\.preview && /);
        assert.deepEqual(
            { ...pulumi.with, "github-token": undefined },
            {
                command: "preview",
                "stack-name": "${{ matrix.stack }}",
                diff: true,
                "comment-on-pr": true,
                "edit-pr-comment": true,
                policyPacks: "policies",
                policyPackConfigs: "policies/config.${{ matrix.stack }}.json",
                "github-token": undefined,
            },
        );
    });

    it("what CI may run per shipped stack: no preview of the Docker dev stack or of Upstash without its key, credentials for the rest", () => {
        const plans = Object.fromEntries(existingStacks().map((stack) => [stack, stackCiPlan(stack, readStackFile(stack).config, readStackFile(stack).secretKeys)]));
        assert.deepEqual(
            Object.values(plans).map(({ stack, preview, credentials, kubeconfigSecret }) => ({ stack, preview, credentials, kubeconfigSecret })),
            [
                { stack: "dev", preview: false, credentials: [], kubeconfigSecret: undefined },
                { stack: "example-k8s-cluster", preview: true, credentials: ["kubernetes", "aws"], kubeconfigSecret: "KUBECONFIG_EXAMPLE_K8S_CLUSTER" },
                { stack: "example-serverless", preview: true, credentials: ["aws"], kubeconfigSecret: undefined },
                { stack: "example-upstash", preview: false, credentials: ["upstash"], kubeconfigSecret: undefined },
                { stack: "prod", preview: true, credentials: ["aws"], kubeconfigSecret: undefined },
                { stack: "staging", preview: true, credentials: ["kubernetes", "aws"], kubeconfigSecret: "KUBECONFIG_STAGING" },
            ],
        );
        assert.match(plans.dev.reason, /developer's own engine/);
        assert.match(plans["example-upstash"].reason, /pulumi config set --secret redis:upstashApiKey/);
        assert.equal(stackCiPlan("u", { "redis:backend": "upstash" }, ["redis:upstashApiKey"]).preview, true);
    });

    it("deploys staging then prod (behind the protected prod environment) on push to main, never the Docker dev stack, never cancelling", () => {
        const deploy = workflow("deploy.yml");
        assert.deepEqual(deploy.on.push.branches, ["main"]);
        assert.equal(deploy.concurrency["cancel-in-progress"], false);
        assert.equal(deploy.jobs.ci.uses, "./.github/workflows/ci.yml");
        assert.equal(deploy.jobs["up-staging"].needs, "ci");
        assert.equal(deploy.jobs["up-prod"].needs, "up-staging");
        assert.equal(deploy.jobs["up-prod"].environment, "prod");
        assert.match(runsOf(deploy.jobs["up-staging"]).join("\n"), /KUBECONFIG=\$RUNNER_TEMP\/kubeconfig/);
        for (const [job, stack] of [["up-staging", "staging"], ["up-prod", "prod"]] as const) {
            const [pulumi] = stepsUsing(deploy.jobs[job], "pulumi/actions@");
            assert.equal(pulumi.with?.command, "up");
            assert.equal(pulumi.with?.["stack-name"], stack);
            assert.equal(pulumi.with?.policyPackConfigs, `policies/config.${stack}.json`);
            assert.equal(deploy.jobs[job].permissions["id-token"], "write");
        }
    });

    it("no workflow runs pulumi on a stack CI cannot reach from an ephemeral runner", () => {
        for (const file of FILES) {
            for (const job of Object.values(workflow(file).jobs) as Record<string, any>[]) {
                for (const step of job.steps ? stepsUsing(job, "pulumi/actions@") : []) {
                    const stack = String(step.with?.["stack-name"]);
                    if (stack.startsWith("${{")) {
                        continue;
                    }
                    assert.equal(stackCiPlan(stack, readStackFile(stack).config, readStackFile(stack).secretKeys).preview, true, `${file}: pulumi ${String(step.with?.command)} -s ${stack}`);
                }
            }
        }
    });
});
