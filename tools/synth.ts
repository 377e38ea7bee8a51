import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { CliMain, cliMain, CliSpec, JSON_FLAG, requireStack, STACK_FLAG } from "./cli";
import { snapshotDiff, snapshotPath } from "./offline/snapshot";
import { runStackOffline } from "./offline/stackRun";
import { synthCommand, synthMarkdown } from "./offline/synthMarkdown";
import { synthJson, synthView } from "./offline/synthView";

/** `npm run synth`: see {@link SYNTH_SPEC}. */
export const SYNTH_SPEC: CliSpec = {
    name: "synth",
    summary: "print a stack's resource tree like `terraform plan`: every resource with its inputs, rendered files in full, a Mermaid diagram, secrets redacted",
    usage: ["--stack <name> [--out FILE] [--check] [--json]"],
    details: [
        "Runs the stack's real program under Pulumi's mock runtime (no cloud, no CLI). Files the resources carry",
        "(redis.conf, scripts, alert rules, dashboards) are shown in full unless they hold a credential; passwords,",
        "keys, tokens and password hashes are redacted. stacks/snapshots/<stack>.md is this document, committed:",
        "--check fails when it is stale, so a pull request shows its infrastructure diff.",
    ].join("\n"),
    flags: {
        stack: STACK_FLAG,
        out: { type: "string", short: "o", value: "<file>", description: "write the document to a file instead of stdout" },
        check: { type: "boolean", description: "compare with the committed stacks/snapshots/<stack>.md; exit 1 when it is stale or missing" },
        json: { ...JSON_FLAG, description: "print {stack, status, resources: [{type, name, parent, inputs, protect, files}], outputs} instead of the document; status is stale when --check fails" },
    },
    ports: "none",
    duration: "2-5 s",
    exitCodes: { 1: "--check: the committed snapshot is stale or missing", 2: "bad usage, an unknown stack, or a program that failed offline" },
};

const main: CliMain = async ({ values }, io) => {
    const stack = requireStack(values.stack);
    const view = synthView(await runStackOffline(stack));
    const markdown = synthMarkdown(view);
    if (view.status === "unavailable") {
        io.stderr(`synth: stack ${stack} is not available yet: ${view.error}\n`);
    }
    if (view.status === "failed") {
        io.stderr(`synth: stack ${stack}: the program failed: ${view.error}\n`);
        return 2;
    }
    let stale = false;
    if (values.check) {
        const file = snapshotPath(stack);
        const committed = existsSync(file) ? readFileSync(file, "utf8") : undefined;
        stale = committed !== markdown;
        if (!stale) {
            io.stderr(`synth: ${path.relative(process.cwd(), file)} is up to date\n`);
        } else {
            io.stderr(committed === undefined ? `synth: ${file} does not exist\n` : `synth: ${file} is stale:\n${snapshotDiff(committed, markdown).join("\n")}\n`);
            io.stderr(`Regenerate it with: ${synthCommand(stack)}\n`);
        }
    }
    if (typeof values.out === "string") {
        mkdirSync(path.dirname(path.resolve(values.out)), { recursive: true });
        writeFileSync(values.out, markdown);
        io.stderr(`synth: wrote ${values.out} (${view.resources.length} resources)\n`);
    }
    if (values.json) {
        const json = JSON.parse(synthJson(view)) as Record<string, unknown>;
        io.stdout(`${JSON.stringify(stale ? { ...json, status: "stale" } : json)}\n`);
    } else if (values.out === undefined && !values.check) {
        io.stdout(markdown);
    }
    return stale ? 1 : 0;
};

/** Runs `npm run synth` (exported for the CLI test table). */
export const synthMain = main;

if (require.main === module) {
    cliMain(SYNTH_SPEC, main);
}
