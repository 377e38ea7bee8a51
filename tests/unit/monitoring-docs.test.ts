import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { alertRulesFor } from "../../components/monitoring/alertRules";
import { documentedAlerts, renderAlertTable } from "../../components/monitoring/alertTable";
import { PROJECT_ROOT } from "../../stacks/config/stackFile";
import { testDeployments } from "../support/monitoring/deployments";

describe("docs/monitoring.md", () => {
    const doc = readFileSync(path.join(PROJECT_ROOT, "docs", "monitoring.md"), "utf8");

    it("holds the alert table exactly as the thresholds render it", () => {
        const match = /<!-- alert-table:start[^\n]*-->\n([\s\S]*?)<!-- alert-table:end -->/.exec(doc);
        assert.ok(match, "the table markers are present");
        assert.equal(match[1], renderAlertTable());
    });

    it("documents every alert the rules can raise, and no other", () => {
        const raised = new Set(testDeployments().flatMap((deployment) => alertRulesFor(deployment).map((rule) => rule.alert)));
        assert.deepEqual([...documentedAlerts()].sort(), [...raised].sort());
    });
});
