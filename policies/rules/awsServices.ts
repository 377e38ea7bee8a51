import type { ResourceValidationPolicy } from "@pulumi/policy";
import { resourceRule } from "./lib/define";
import { CLOUDWATCH, KMS } from "./lib/types";
import { numeric, record, records, show, strings, text } from "./lib/values";

/** A symmetric key never rotated protects years of data with one key version. */
export const kmsKeyRotation = resourceRule({
    name: "kms-key-rotation",
    description: "Symmetric KMS keys rotate their key material automatically (enableKeyRotation: true).",
    enforcementLevel: "mandatory",
    types: [KMS.key],
    check: (props, report) => {
        const spec = text(props.customerMasterKeySpec) ?? text(props.keySpec) ?? "SYMMETRIC_DEFAULT";
        if (spec === "SYMMETRIC_DEFAULT" && props.enableKeyRotation !== true) {
            report(`enableKeyRotation is ${show(props.enableKeyRotation)}: set it to true so the key material rotates yearly`);
        }
    },
});

/** Condition keys that pin a wildcard principal to our own account, organisation or resources. */
const IDENTITY_CONDITION_KEYS = ["kms:calleraccount", "aws:principalaccount", "aws:principalarn", "aws:principalorgid", "aws:sourceaccount", "aws:sourcearn", "aws:sourceowner", "aws:principalorgpaths"];

function wildcardPrincipal(principal: unknown): boolean {
    if (principal === "*") {
        return true;
    }
    const aws = record(principal)?.AWS;
    return aws === "*" || strings(aws).includes("*");
}

function limitsIdentity(condition: unknown): boolean {
    return Object.values(record(condition) ?? {}).some((operator) => Object.keys(record(operator) ?? {}).some((key) => IDENTITY_CONDITION_KEYS.includes(key.toLowerCase())));
}

/** The `Sid`s (or positions) of Allow statements that let any AWS principal use the key. */
export function wildcardKeyStatements(policy: unknown): string[] {
    let document: unknown = policy;
    if (typeof policy === "string") {
        try {
            document = JSON.parse(policy);
        } catch {
            return [];
        }
    }
    return records(record(document)?.Statement)
        .map((statement, index) => ({ statement, label: text(statement.Sid) ?? `statement ${index + 1}` }))
        .filter(({ statement }) => statement.Effect === "Allow" && wildcardPrincipal(statement.Principal) && !limitsIdentity(statement.Condition))
        .map(({ label }) => label);
}

/** A key policy that allows `*` lets any AWS account decrypt with the key. */
export const kmsKeyPolicyNoWildcard = resourceRule({
    name: "kms-key-policy-no-wildcard-principal",
    description: "KMS key policies allow no wildcard principal (*) unless a condition pins it to an account, organisation or source.",
    enforcementLevel: "mandatory",
    types: [KMS.key, KMS.keyPolicy],
    check: (props, report) => {
        for (const label of wildcardKeyStatements(props.policy)) {
            report(`key policy ${label} allows principal "*" with no account or organisation condition: name the principals, or add a kms:CallerAccount / aws:PrincipalOrgID condition`);
        }
    },
});

/** Logs kept forever cost money and keep whatever leaked into them; logs kept a day explain nothing. */
export const logGroupRetention = resourceRule<{ minimumDays: number }>({
    name: "cloudwatch-log-group-retention",
    description: "CloudWatch log groups expire their events, keeping them at least `minimumDays` days.",
    enforcementLevel: "mandatory",
    config: { minimumDays: { type: "integer", default: 1, description: "The fewest days a log group keeps its events." } },
    types: [CLOUDWATCH.logGroup],
    check: (props, report, config) => {
        const days = numeric(props.retentionInDays) ?? 0;
        if (days <= 0) {
            report("retentionInDays is unset: events are kept forever; set a retention");
        } else if (days < config.minimumDays) {
            report(`retentionInDays is ${days}: keep at least ${config.minimumDays} day(s) so incidents can be investigated`);
        }
    },
});

/** Slow and engine logs carry command arguments: key names and values. */
export const logGroupEncrypted = resourceRule({
    name: "cloudwatch-log-group-encrypted",
    description: "CloudWatch log groups are encrypted with a customer-managed KMS key (kmsKeyId), on top of the service's own encryption.",
    enforcementLevel: "advisory",
    types: [CLOUDWATCH.logGroup],
    check: (props, report) => {
        if (text(props.kmsKeyId) === undefined) {
            report("kmsKeyId is unset: slow-log entries carry command arguments; encrypt the group with a customer-managed KMS key");
        }
    },
});

/** Every KMS and CloudWatch Logs rule. */
export const AWS_SERVICE_RULES: ResourceValidationPolicy[] = [kmsKeyRotation, kmsKeyPolicyNoWildcard, logGroupRetention, logGroupEncrypted];
