import { validateWorkflow } from "@action-validator/core";
import { strict as assert } from "node:assert";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { PROJECT_ROOT } from "../../stacks/config/stackFile";

const DIRECTORY = path.join(PROJECT_ROOT, ".github", "workflows");
const FILES = readdirSync(DIRECTORY).filter((file) => /\.ya?ml$/.test(file)).sort();
const read = (file: string) => readFileSync(path.join(DIRECTORY, file), "utf8");
const workflow = (file: string) => parse(read(file)) as Record<string, any>;
type Step = { uses?: string; run?: string; with?: Record<string, unknown> };
const stepsUsing = (job: Record<string, any>, action: string): Step[] => (job.steps as Step[]).filter((step) => step.uses?.startsWith(action));

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

    it("CI runs on every pull request and push, cancels superseded runs, and tests, typechecks and reports every stack", () => {
        const ci = workflow("ci.yml");
        assert.ok("pull_request" in ci.on && "push" in ci.on);
        assert.equal(ci.concurrency["cancel-in-progress"], true);
        const runs = (ci.jobs.test.steps as Step[]).map((step) => step.run);
        for (const command of ["npm run typecheck", "npm test", "npm run test:policies"]) {
            assert.ok(runs.includes(command), command);
        }
        const report = (ci.jobs.report.steps as Step[]).map((step) => step.run ?? "").join("\n");
        assert.match(report, /npm run --silent policy -- --stack "\$STACK" --json/);
        assert.match(report, /npm run --silent synth -- --stack "\$STACK" --check/);
        assert.match(report, /GITHUB_STEP_SUMMARY/);
        assert.equal(ci.jobs.report.strategy.matrix.stack, "${{ fromJSON(needs.stacks.outputs.stacks) }}");
    });

    it("previews same-repository pull requests per stack with the policy pack, one edited comment per stack, and OIDC", () => {
        const preview = workflow("ci.yml").jobs.preview;
        assert.match(preview.if, /github\.event\.pull_request\.head\.repo\.full_name == github\.repository/);
        assert.equal(preview.permissions["id-token"], "write");
        assert.equal(preview.permissions["pull-requests"], "write");
        assert.equal(stepsUsing(preview, "aws-actions/configure-aws-credentials@")[0].with?.["role-to-assume"], "${{ vars.AWS_PREVIEW_ROLE_ARN }}");
        const [pulumi] = stepsUsing(preview, "pulumi/actions@");
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

    it("deploys dev on push to main, then prod behind the protected prod environment, never cancelling a deployment", () => {
        const deploy = workflow("deploy.yml");
        assert.deepEqual(deploy.on.push.branches, ["main"]);
        assert.equal(deploy.concurrency["cancel-in-progress"], false);
        assert.equal(deploy.jobs.ci.uses, "./.github/workflows/ci.yml");
        assert.equal(deploy.jobs["up-dev"].needs, "ci");
        assert.equal(deploy.jobs["up-prod"].needs, "up-dev");
        assert.equal(deploy.jobs["up-prod"].environment, "prod");
        for (const [job, stack] of [["up-dev", "dev"], ["up-prod", "prod"]] as const) {
            const [pulumi] = stepsUsing(deploy.jobs[job], "pulumi/actions@");
            assert.equal(pulumi.with?.command, "up");
            assert.equal(pulumi.with?.["stack-name"], stack);
            assert.equal(pulumi.with?.policyPackConfigs, `policies/config.${stack}.json`);
            assert.equal(deploy.jobs[job].permissions["id-token"], "write");
        }
    });
});
