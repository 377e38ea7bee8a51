import { strict as assert } from "node:assert";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { ALL_POLICIES } from "../../policies/rules/all";
import { isStackPolicy } from "../../policies/rules/lib/define";
import { PROJECT_ROOT, readStackFile } from "../../stacks/config/stackFile";
import { choosePolicyConfig, environmentConfigPath, knownEnvironments, policyConfigPath, readPolicyConfig, resolvePolicySettings } from "../../tools/offline/policyConfig";
import { BUCKET_CASES } from "./cases/bucket";
import { ELASTICACHE_CASES } from "./cases/elasticache";
import { KUBERNETES_CASES } from "./cases/kubernetes";
import { ACCESS_CASES } from "./cases/access";
import { AWS_SERVICE_CASES } from "./cases/awsServices";
import { EXPOSURE_CASES } from "./cases/exposure";
import { DOCKER_CASES, NETWORK_CASES, UPSTASH_CASES } from "./cases/managedAndNetwork";
import { OPERATIONS_CASES } from "./cases/operations";
import { POD_SECURITY_CASES } from "./cases/podSecurity";
import { REDIS_CONFIG_CASES } from "./cases/redisConfig";
import { STACK_CASES } from "./cases/stack";
import { STACKS } from "./helpers";

const ALL_CASES = [
    ...ELASTICACHE_CASES,
    ...UPSTASH_CASES,
    ...NETWORK_CASES,
    ...DOCKER_CASES,
    ...KUBERNETES_CASES,
    ...BUCKET_CASES,
    ...REDIS_CONFIG_CASES,
    ...STACK_CASES,
    ...EXPOSURE_CASES,
    ...POD_SECURITY_CASES,
    ...ACCESS_CASES,
    ...AWS_SERVICE_CASES,
    ...OPERATIONS_CASES,
];

describe("the policy pack", () => {
    it("has at least 60 rules with unique, stable kebab-case names", () => {
        const names = ALL_POLICIES.map((policy) => policy.name);
        assert.ok(names.length >= 60, `${names.length} rules`);
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
            "bucket-access-logging",
            "bucket-encryption",
            "bucket-lifecycle",
            "bucket-public-access-block",
            "bucket-tls-only",
            "bucket-versioning",
            "k8s-network-policy-coverage",
            "k8s-pdb-per-statefulset",
            "k8s-service-not-public",
            "redisconf-persistence-in-ha",
            "redisconf-sentinel-quorum",
            "security-group-no-public-ingress",
            "security-group-no-public-redis",
            "stack-monitoring-alerts",
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

    it("has default levels for every environment, and each shipped stack's config equals its environment's", () => {
        assert.deepEqual(knownEnvironments(), ["dev", "prod", "staging"]);
        for (const environment of knownEnvironments()) {
            assert.doesNotThrow(() => resolvePolicySettings(ALL_POLICIES, JSON.parse(readFileSync(environmentConfigPath(environment), "utf8"))), environment);
        }
        for (const stack of STACKS) {
            const environment = readStackFile(stack).config["redis:environment"];
            const chosen = choosePolicyConfig({ environment });
            assert.deepEqual(readPolicyConfig(stack), chosen.config, `policies/config.${stack}.json differs from the ${environment} defaults`);
        }
    });

    it("documents every rule with its level, per-environment levels and the rule count in docs/policies.md", () => {
        const docs = readFileSync(path.join(PROJECT_ROOT, "docs", "policies.md"), "utf8");
        const levels = Object.fromEntries(knownEnvironments().map((environment) => [environment, resolvePolicySettings(ALL_POLICIES, JSON.parse(readFileSync(environmentConfigPath(environment), "utf8")))]));
        for (const policy of ALL_POLICIES) {
            const perEnvironment = ["dev", "staging", "prod"].map((environment) => levels[environment].get(policy.name)?.level).join(" / ");
            assert.match(docs, new RegExp(`\\| \`${policy.name}\` \\| ${policy.enforcementLevel} \\| ${perEnvironment} \\|`), policy.name);
        }
        assert.match(docs, new RegExp(`: ${ALL_POLICIES.length} rules`));
    });

    it("never imports the file that constructs the pack", () => {
        const testFiles = readdirSync(__dirname, { recursive: true }).map(String).filter((file) => file.endsWith(".ts"));
        for (const file of testFiles) {
            const text = readFileSync(path.join(__dirname, file), "utf8");
            assert.doesNotMatch(text, /policies\/index["']|policies["'];/, file);
        }
    });
});
