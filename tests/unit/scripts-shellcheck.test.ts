import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { readStackFile } from "../../stacks/config/stackFile";
import { asDeploymentConfig, stackConfig } from "../../tools/harness/config";
import { existingStacks } from "../../tools/cli/stacks";
import { nodeFiles } from "../../tools/render/nodeFiles";

/** Every shipped self-hosted stack, with the scripts `npm run render` writes for it (what its nodes run). */
const SELF_HOSTED = existingStacks()
    .filter((stack) => readStackFile(stack).config["redis:backend"] === "selfhosted")
    .map((stack) => ({ stack, scripts: nodeFiles(asDeploymentConfig(stackConfig(stack))).files.filter((file) => file.path.endsWith(".sh")) }));

function run(command: string, args: string[]) {
    const result = spawnSync(command, args, { encoding: "utf8" });
    if (result.error) {
        throw new Error(`${command} could not run (${result.error.message}): install the Debian package "${command}" (npm run setup does)`);
    }
    return result;
}

describe("shell scripts every shipped stack renders", () => {
    let dir: string;
    before(() => {
        dir = mkdtempSync(path.join(tmpdir(), "scripts-shellcheck-"));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it("covers every self-hosted stack and every script kind", () => {
        assert.deepEqual(SELF_HOSTED.map(({ stack }) => stack), ["dev", "example-k8s-cluster", "staging"]);
        const kinds = new Set(SELF_HOSTED.flatMap(({ scripts }) => scripts.map((file) => path.basename(file.path))));
        assert.deepEqual([...kinds].sort(), ["cluster-create.sh", "cluster-drain.sh", "redis-backup.sh", "redis-prestop.sh", "redis-reload.sh", "redis-restore.sh", "redis-start.sh", "redis-switchover.sh", "sentinel-reset.sh", "sentinel-start.sh"]);
    });

    // The stacks render many identical scripts: each distinct text is checked once, named after where it comes from.
    it("sh -n and shellcheck (POSIX sh, every severity) find nothing in any of them", () => {
        const distinct = new Map<string, string>();
        for (const { stack, scripts } of SELF_HOSTED) {
            for (const script of scripts) {
                if (!distinct.has(script.content)) {
                    distinct.set(script.content, path.join(dir, `${stack}-${path.basename(script.path)}`));
                }
            }
        }
        for (const [content, file] of distinct) {
            writeFileSync(file, content);
            const syntax = run("sh", ["-n", file]);
            assert.equal(syntax.status, 0, `sh -n ${path.basename(file)}: ${syntax.stderr}`);
        }
        const lint = run("shellcheck", ["--shell=sh", "--format=gcc", ...distinct.values()]);
        assert.equal(lint.stdout + lint.stderr, "", "shellcheck findings");
        assert.equal(lint.status, 0);
    });

    it("shellcheck does flag a script with a finding (the check can fail)", () => {
        const file = path.join(dir, "bad.sh");
        writeFileSync(file, '#!/bin/sh\nset -- $1\necho $undefined_variable\n');
        assert.notEqual(run("shellcheck", ["--shell=sh", "--format=gcc", file]).status, 0);
    });
});
