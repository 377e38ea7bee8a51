import { strict as assert } from "node:assert";
import { messagesOf, RuleCase } from "./helpers";

/** Declares mocha tests for rule cases: each pass fixture yields no message, each flag fixture exactly its messages. */
export function describeRuleCases(cases: readonly RuleCase[]): void {
    for (const ruleCase of cases) {
        describe(ruleCase.policy.name, () => {
            for (const { title, fixture } of ruleCase.pass) {
                it(`passes ${title}`, async () => assert.deepEqual(await messagesOf(ruleCase.policy, fixture), []));
            }
            for (const { title, fixture, messages } of ruleCase.flag) {
                it(`flags ${title}`, async () => assert.deepEqual(await messagesOf(ruleCase.policy, fixture), messages));
            }
        });
    }
}
