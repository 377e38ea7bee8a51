import { strict as assert } from "node:assert";
import { findingsOf, RuleCase } from "./helpers";

/**
 * Declares mocha tests for rule cases: each pass fixture yields no message, each flag fixture exactly its
 * messages, each naming a resource by name and URN.
 */
export function describeRuleCases(cases: readonly RuleCase[]): void {
    for (const ruleCase of cases) {
        describe(ruleCase.policy.name, () => {
            for (const { title, fixture } of ruleCase.pass) {
                it(`passes ${title}`, async () => assert.deepEqual((await findingsOf(ruleCase.policy, fixture)).map((finding) => finding.message), []));
            }
            for (const { title, fixture, messages } of ruleCase.flag) {
                it(`flags ${title}, naming the resource and its URN`, async () => {
                    const findings = await findingsOf(ruleCase.policy, fixture);
                    assert.deepEqual(findings.map((finding) => finding.message), messages);
                    for (const finding of findings) {
                        assert.match(finding.urn, /^urn:pulumi:test::fixture::/, finding.message);
                        assert.ok(finding.resource !== "" && finding.resource !== "(stack)", finding.message);
                    }
                });
            }
        });
    }
}
