import { strict as assert } from "node:assert";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { ALL_POLICIES } from "../../policies/rules/all";
import { isStackPolicy } from "../../policies/rules/lib/define";
import { PROJECT_ROOT } from "../../stacks/config/stackFile";
import { policyConfigPath, readPolicyConfig, resolvePolicySettings } from "../../tools/offline/policyConfig";
import { BUCKET_CASES } from "./cases/bucket";
import { ELASTICACHE_CASES } from "./cases/elasticache";
import { KUBERNETES_CASES } from "./cases/kubernetes";
import { DOCKER_CASES, NETWORK_CASES, UPSTASH_CASES } from "./cases/managedAndNetwork";
import { REDIS_CONFIG_CASES } from "./cases/redisConfig";
import { STACK_CASES } from "./cases/stack";
import { STACKS } from "./helpers";

const ALL_CASES = [...ELASTICACHE_CASES, ...UPSTASH_CASES, ...NETWORK_CASES, ...DOCKER_CASES, ...KUBERNETES_CASES, ...BUCKET_CASES, ...REDIS_CONFIG_CASES, ...STACK_CASES];

describe("the policy pack", () => {
    it("has at least 30 rules with unique, stable kebab-case names", () => {
        const names = ALL_POLICIES.map((policy) => policy.name);
        assert.ok(names.length >= 30, `${names.length} rules`);
        assert.equal(new Set(names).size, names.length);
        for (const name of names) {
            assert.match(name, /^[a-z0-9]+(-[a-z0-9]+)+$/);
        }
    });

    it("gives every rule a description and a mandatory or advisory level", () => {
        for (const policy of ALL_POLICIES) {
            assert.ok(policy.description.length > 20, policy.name);
            assert.ok(policy.enforcementLevel === "mandatory" || policy.enforcementLevel === "advisory", policy.name);
        }
    });

    it("tests every rule on at least one fixture it passes and one it flags", () => {
        for (const policy of ALL_POLICIES) {
            const cases = ALL_CASES.filter((ruleCase) => ruleCase.policy === policy);
            assert.ok(cases.some((ruleCase) => ruleCase.pass.length > 0), `${policy.name} has no passing fixture`);
            assert.ok(cases.some((ruleCase) => ruleCase.flag.length > 0), `${policy.name} has no flagged fixture`);
        }
    });

    it("has stack policies only where a rule needs more than one resource, options or outputs", () => {
        const stackNames = ALL_POLICIES.filter(isStackPolicy).map((policy) => policy.name).sort();
        assert.deepEqual(stackNames, [
            "bucket-encryption",
            "bucket-lifecycle",
            "bucket-public-access-block",
            "bucket-tls-only",
            "bucket-versioning",
            "k8s-network-policy-coverage",
            "k8s-pdb-per-statefulset",
            "redisconf-persistence-in-ha",
            "redisconf-sentinel-quorum",
            "stack-prod-data-protected",
            "stack-secret-outputs",
        ]);
    });

    it("has a valid policy config for every shipped stack, naming only real rules", () => {
        for (const stack of STACKS) {
            // The preview workflow passes policies/config.<stack>.json to pulumi for every stack.
            assert.ok(existsSync(policyConfigPath(stack)), `missing ${policyConfigPath(stack)}`);
            assert.doesNotThrow(() => resolvePolicySettings(ALL_POLICIES, readPolicyConfig(stack)), stack);
        }
    });

    it("documents every rule with its level in docs/policies.md", () => {
        const docs = readFileSync(path.join(PROJECT_ROOT, "docs", "policies.md"), "utf8");
        for (const policy of ALL_POLICIES) {
            assert.match(docs, new RegExp(`\\| \`${policy.name}\` \\| ${policy.enforcementLevel} \\|`), policy.name);
        }
    });

    it("never imports the file that constructs the pack", () => {
        const testFiles = readdirSync(__dirname, { recursive: true }).map(String).filter((file) => file.endsWith(".ts"));
        for (const file of testFiles) {
            const text = readFileSync(path.join(__dirname, file), "utf8");
            assert.doesNotMatch(text, /policies\/index["']|policies["'];/, file);
        }
    });
});
