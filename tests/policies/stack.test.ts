import { strict as assert } from "node:assert";
import { credentialPaths } from "../../policies/rules/stack";
import { STACK_CASES } from "./cases/stack";
import { describeRuleCases } from "./ruleCases";

describe("stack rules", () => describeRuleCases(STACK_CASES));

describe("credential detection in outputs", () => {
    it("names paths, never values", () => {
        assert.deepEqual(credentialPaths({ a: { token: "t" }, b: "redis://u:p@h:1", c: "plain", d: { password: "" } }, "out"), ["out.a.token", "out.b"]);
    });
});
