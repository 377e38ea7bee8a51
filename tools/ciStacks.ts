import { CliMain, cliMain, CliSpec, existingStacks, JSON_FLAG } from "./cli";
import { readStackFile } from "../stacks/config/stackFile";
import { stackCiPlan } from "./ci/stackPlan";

/** `npm run ci:stacks`: see the summary. */
export const CI_STACKS_SPEC: CliSpec = {
    name: "ci:stacks",
    summary: "list every stack with what CI may run for it: a real pulumi preview (and the credentials it needs) or why not",
    usage: ["[--json]"],
    details: "The CI workflow builds its preview matrix from --json. Every stack gets the offline policy report and synth snapshot regardless.",
    flags: { json: { ...JSON_FLAG, description: 'print {"status":"ok","stacks":[...names],"include":[{stack, preview, credentials, kubeconfigSecret?, reason}]} on one line' } },
    ports: "none",
    duration: "under a second",
    exitCodes: {},
};

const main: CliMain = ({ values }, io) => {
    const plans = existingStacks().map((stack) => {
        const file = readStackFile(stack);
        return stackCiPlan(stack, file.config, file.secretKeys);
    });
    if (values.json) {
        io.stdout(`${JSON.stringify({ status: "ok", stacks: plans.map((plan) => plan.stack), include: plans })}\n`);
    } else {
        io.stdout(plans.map((plan) => `${plan.stack.padEnd(22)} ${plan.preview ? `preview (${plan.credentials.join(", ")})` : "no preview"}: ${plan.reason}`).join("\n") + "\n");
    }
    return 0;
};

/** Runs `npm run ci:stacks` (exported for the CLI test table). */
export const ciStacksMain = main;

if (require.main === module) {
    cliMain(CI_STACKS_SPEC, main);
}
