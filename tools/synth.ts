import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parseCliArgs } from "./offline/cliArgs";
import { snapshotDiff, snapshotPath } from "./offline/snapshot";
import { runStackOffline } from "./offline/stackRun";
import { synthCommand, synthMarkdown } from "./offline/synthMarkdown";
import { synthJson, synthView } from "./offline/synthView";

// npm run synth -- --stack <name> [--json] [--out FILE] [--check]
// Prints (or writes) the stack's deterministic, secrets-redacted resource tree and Mermaid diagram.
// --check compares with stacks/snapshots/<stack>.md. Exit codes: 0 done, 1 stale or missing snapshot,
// 2 bad usage or a program that failed. A stack whose backend is not available yet is reported as such
// in the document (and on stderr): its snapshot records that, and goes stale the day the backend lands.
async function main(): Promise<number> {
    let options;
    try {
        options = parseCliArgs(process.argv.slice(2), ["json", "out", "check"]);
    } catch (error) {
        console.error(`synth: ${(error as Error).message}`);
        return 2;
    }
    const view = synthView(await runStackOffline(options.stack));
    const markdown = synthMarkdown(view);
    if (view.status === "unavailable") {
        console.error(`synth: stack ${options.stack} is not available yet: ${view.error}`);
    }
    if (view.status === "failed") {
        console.error(`synth: stack ${options.stack}: the program failed: ${view.error}`);
        return 2;
    }
    if (options.check) {
        const file = snapshotPath(options.stack);
        const committed = existsSync(file) ? readFileSync(file, "utf8") : undefined;
        if (committed === markdown) {
            console.log(`synth: ${path.relative(process.cwd(), file)} is up to date`);
        } else {
            console.error(committed === undefined ? `synth: ${file} does not exist` : `synth: ${file} is stale:\n${snapshotDiff(committed, markdown).join("\n")}`);
            console.error(`Regenerate it with: ${synthCommand(options.stack)}`);
            return 1;
        }
    }
    if (options.out !== undefined) {
        mkdirSync(path.dirname(path.resolve(options.out)), { recursive: true });
        writeFileSync(options.out, markdown);
        console.log(`synth: wrote ${options.out} (${view.resources.length} resources)`);
    } else if (!options.check && !options.json) {
        process.stdout.write(markdown);
    }
    if (options.json) {
        console.log(synthJson(view));
    }
    return 0;
}

main().then(
    (code) => process.exit(code),
    (error) => {
        console.error(`synth: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(2);
    },
);
