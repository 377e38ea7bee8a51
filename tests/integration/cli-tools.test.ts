import { strict as assert } from "node:assert";
import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { PROJECT_ROOT } from "../../stacks/config/stackFile";

/** The entry file of every tool on the shared convention. */
const ENTRIES = {
    render: "tools/render.ts",
    synth: "tools/synth.ts",
    sandbox: "tools/sandbox.ts",
    verify: "tools/verify.ts",
    bench: "tools/bench.ts",
    drill: "tools/drill.ts",
    day2: "tools/day2/cli.ts",
    "ci:stacks": "tools/ciStacks.ts",
} as const;

/** How a tool run ended: its exit status (null when a signal ended it) and what it printed. */
interface ToolRun {
    status: number | null;
    stdout: string;
    stderr: string;
}

function tool(entry: string, args: string[]): ToolRun {
    return spawnSync(process.execPath, ["--import", "tsx", entry, ...args], { cwd: PROJECT_ROOT, encoding: "utf8", timeout: 60000 });
}

function toolAsync(entry: string, args: string[]): Promise<ToolRun> {
    return new Promise((resolve) => {
        execFile(process.execPath, ["--import", "tsx", entry, ...args], { cwd: PROJECT_ROOT, encoding: "utf8", timeout: 60000 }, (error, stdout, stderr) => {
            resolve({ status: error === null ? 0 : typeof error.code === "number" ? error.code : null, stdout, stderr });
        });
    });
}

/** Runs tasks in two lanes: two tool processes at a time, one per core, however many are queued. */
function twoAtATime(): <T>(task: () => Promise<T>) => Promise<T> {
    const lanes: Promise<unknown>[] = [Promise.resolve(), Promise.resolve()];
    let next = 0;
    return <T>(task: () => Promise<T>) => {
        const lane = next++ % lanes.length;
        const run = lanes[lane].then(task);
        lanes[lane] = run.catch(() => undefined);
        return run;
    };
}

describe("tools as processes", () => {
    // Each run is a fresh Node process loading its tool (seconds of CPU): two run at once, each test awaits its own.
    const runs = new Map<string, { help: Promise<ToolRun>; bad: Promise<ToolRun> }>();
    before(() => {
        const schedule = twoAtATime();
        for (const [name, entry] of Object.entries(ENTRIES)) {
            runs.set(name, { help: schedule(() => toolAsync(entry, ["--help"])), bad: schedule(() => toolAsync(entry, ["--bogus"])) });
        }
    });
    after(async () => {
        await Promise.all([...runs.values()].flatMap((run) => [run.help, run.bad]));
    });

    for (const name of Object.keys(ENTRIES)) {
        it(`${name}: --help exits 0 from the real entry point, an unknown flag exits 2 with one line and no stack trace`, async () => {
            const help = await runs.get(name)!.help;
            assert.equal(help.status, 0, help.stderr);
            assert.match(help.stdout, new RegExp(`^${name}: [^]*\\nUsage:\\n[^]*\\nPorts: [^]*\\nDuration: `));
            const bad = await runs.get(name)!.bad;
            assert.equal(bad.status, 2);
            assert.equal(bad.stdout, "");
            assert.equal(bad.stderr, `${name}: unknown flag --bogus: see --help\n`);
        });
    }

    it("render --out - | head: exits quietly when the reader goes away (no EPIPE stack trace)", () => {
        const result = spawnSync("bash", ["-c", "set -o pipefail; node --import tsx tools/render.ts --stack staging --out - | head -n 2"], { cwd: PROJECT_ROOT, encoding: "utf8", timeout: 60000 });
        assert.equal(result.status, 0);
        assert.match(result.stdout, /^---\n# Source: \S+\n/);
        assert.doesNotMatch(result.stderr, /EPIPE|Error|at /);
    });

    it("render --json prints only JSON: the files written, in the directory beside the manifest", () => {
        const dir = mkdtempSync(path.join(tmpdir(), "render-json-"));
        try {
            const result = tool(ENTRIES.render, ["--stack", "dev", "--out", dir, "--json"]);
            assert.equal(result.status, 0, result.stderr);
            const json = JSON.parse(result.stdout) as { status: string; files: string[]; removed: string[] };
            assert.equal(json.status, "ok");
            assert.deepEqual(readdirSync(dir).sort(), [".render-manifest.json", ...new Set(json.files.map((file) => file.split("/")[0]))].sort());
            assert.deepEqual(json.removed, []);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
});
