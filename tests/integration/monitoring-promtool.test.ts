import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderAlertRules } from "../../components/monitoring/alertRules";
import { testDeployments } from "../support/monitoring/deployments";
import { promtoolTestFile } from "../support/monitoring/ruleCases";
import { runTool, runToolAsync, ToolResult, toolVersion } from "../support/monitoring/tools";

describe("alert rules under promtool", function () {
    let dir: string;
    const results = new Map<string, Promise<ToolResult>>();

    before(function () {
        // Fails (never skips) with the Debian package to install when promtool is missing.
        toolVersion("promtool");
        dir = mkdtempSync(join(tmpdir(), "redis-rules-"));
        // One promtool per deployment, all at once; each test below awaits its own.
        for (const deployment of testDeployments()) {
            const rules = join(dir, `${deployment.name}.rules.yml`);
            writeFileSync(rules, renderAlertRules([deployment]));
            const files = (["short", "long"] as const).map((length) => {
                const file = join(dir, `${deployment.name}.${length}.test.yml`);
                writeFileSync(file, promtoolTestFile(deployment, rules, length));
                return file;
            });
            results.set(deployment.name, runToolAsync("promtool", ["test", "rules", ...files]));
        }
    });

    after(async function () {
        await Promise.all(results.values());
        if (dir !== undefined) {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    it("passes promtool check rules with one group per deployment", function () {
        const file = join(dir, "all.rules.yml");
        writeFileSync(file, renderAlertRules(testDeployments()));
        const result = runTool("promtool", ["check", "rules", file]);
        assert.equal(result.status, 0, result.output);
        assert.match(result.output, /SUCCESS: \d+ rules found/);
    });

    for (const deployment of testDeployments()) {
        it(`fires each alert of ${deployment.name} on bad series and stays silent on healthy ones`, async function () {
            const result = await results.get(deployment.name)!;
            assert.equal(result.status, 0, result.output);
            assert.match(result.output, /SUCCESS/);
        });
    }
});
