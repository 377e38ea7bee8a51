import { strict as assert } from "node:assert";
import { imagePinProblem } from "../../policies/rules/lib/images";
import { selectorMatches } from "../../policies/rules/lib/pods";
import { KUBERNETES_CASES } from "./cases/kubernetes";
import { describeRuleCases } from "./ruleCases";

describe("Kubernetes rules", () => describeRuleCases(KUBERNETES_CASES));

describe("label selectors", () => {
    const labels = { app: "redis", tier: "data" };
    it("matches labels and every expression operator", () => {
        assert.equal(selectorMatches({ matchLabels: { app: "redis" } }, labels), true);
        assert.equal(selectorMatches({ matchLabels: { app: "other" } }, labels), false);
        assert.equal(selectorMatches({ matchExpressions: [{ key: "tier", operator: "NotIn", values: ["web"] }] }, labels), true);
        assert.equal(selectorMatches({ matchExpressions: [{ key: "zone", operator: "Exists" }] }, labels), false);
        assert.equal(selectorMatches({ matchExpressions: [{ key: "zone", operator: "DoesNotExist" }] }, labels), true);
        assert.equal(selectorMatches(undefined, labels), false);
    });
});

describe("image pinning", () => {
    it("accepts digests, image ids and exact versions; refuses the rest", () => {
        assert.equal(imagePinProblem(`redis@sha256:${"c".repeat(64)}`), undefined);
        assert.equal(imagePinProblem("oliver006/redis_exporter:v1.62.0-alpine"), undefined);
        assert.equal(imagePinProblem(""), "has no image");
        assert.equal(imagePinProblem("redis:7"), 'image "redis:7" uses the floating tag "7": pin a digest or an exact version such as 7.2.5');
    });
});
