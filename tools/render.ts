import { CliSpec, JSON_FLAG, STACK_FLAG, CliError, cliMain, CliMain, requireStack } from "./cli";
import { RENDER_MANIFEST, renderStream, writeRendered } from "./render/output";
import { renderStack } from "./render/renderStack";

/** `npm run render`: see {@link RENDER_SPEC}. */
export const RENDER_SPEC: CliSpec = {
    name: "render",
    summary: "write every file a self-hosted stack runs, like `helm template`: node configs, scripts, monitoring configs and, on Kubernetes, one manifest per object",
    usage: ["--stack <name> --out <dir>", "--stack <name> --out -          (every file to stdout, `---` separated)"],
    details: [
        "Node files are rendered with the stack's own platform layout (host names, ports and paths as deployed);",
        "monitoring files (Prometheus config and rules, Alertmanager config, Grafana provisioning and dashboard)",
        "and Kubernetes manifests come from the resources the stack's program registers under Pulumi's mock runtime.",
        "Passwords, keys, password hashes and receivers' URLs are redacted. The output directory keeps a",
        `${RENDER_MANIFEST} of what was written; the next render deletes those files when it no longer writes them,`,
        "and never any other file. Managed stacks (elasticache, upstash) run no files of ours: use `npm run synth`.",
    ].join("\n"),
    flags: {
        stack: STACK_FLAG,
        out: { type: "string", short: "o", value: "<dir|->", description: "the output directory, or - for stdout" },
        json: { ...JSON_FLAG, description: "print {status, stack, out, files, removed} on stdout instead of the file list (not with --out -)" },
    },
    ports: "none",
    duration: "2-5 s (the stack's program runs offline)",
    exitCodes: { 1: "the program failed offline, or a file would hold a secret (nothing is written)", 2: "bad usage, an unknown stack, or a managed stack (use synth)" },
};

const main: CliMain = async ({ values }, io) => {
    const stack = requireStack(values.stack);
    const out = values.out;
    if (typeof out !== "string" || out === "") {
        throw new CliError("--out <dir|-> is required");
    }
    if (out === "-" && values.json) {
        throw new CliError("--json and --out - both write to stdout: pick one");
    }
    const rendered = await renderStack(stack);
    if (out === "-") {
        io.stdout(renderStream(rendered.files));
        io.stderr(`render: stack ${stack}: ${rendered.summary}; ${rendered.files.length} files\n`);
        return 0;
    }
    const outcome = writeRendered(out, stack, rendered.files);
    if (values.json) {
        io.stdout(`${JSON.stringify({ status: "ok", stack, platform: rendered.platform, out, files: outcome.written, removed: outcome.removed })}\n`);
        return 0;
    }
    io.stdout(
        [
            `stack ${stack}: ${rendered.summary}`,
            `wrote ${outcome.written.length} files to ${out}${outcome.removed.length > 0 ? ` (deleted ${outcome.removed.length} stale files an earlier render wrote)` : ""}:`,
            ...outcome.written.map((file) => `  ${file}`),
            "Passwords, keys, password hashes and receivers' URLs are redacted (scripts read the real ones from files at run time).",
            "",
        ].join("\n"),
    );
    return 0;
};

/** Runs `npm run render` (exported for the CLI test table). */
export const renderMain = main;

if (require.main === module) {
    cliMain(RENDER_SPEC, main);
}
