import { strict as assert } from "node:assert";
import { deniesInsecureTransport } from "../../policies/rules/bucket";
import { BUCKET_CASES } from "./cases/bucket";
import { describeRuleCases } from "./ruleCases";

describe("backup bucket rules", () => describeRuleCases(BUCKET_CASES));

describe("TLS-only bucket policy detection", () => {
    it("reads documents as text or objects and ignores unparsable text", () => {
        const statement = { Effect: "Deny", Principal: "*", Action: ["s3:*"], Resource: "*", Condition: { Bool: { "aws:SecureTransport": false } } };
        assert.equal(deniesInsecureTransport({ Statement: [statement] }), true);
        assert.equal(deniesInsecureTransport({ Statement: statement }), true);
        assert.equal(deniesInsecureTransport("{not json"), false);
        assert.equal(deniesInsecureTransport({ Statement: [{ ...statement, Effect: "Allow" }] }), false);
    });
});
