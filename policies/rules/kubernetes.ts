import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { resourceRule, stackRule } from "./lib/define";
import { imagePinProblem } from "./lib/images";
import { eachContainer, effective, podTemplateOf, runsRedis, selectorMatches, WORKLOAD_TYPES } from "./lib/pods";
import { ofTypes } from "./lib/relations";
import { KUBERNETES } from "./lib/types";
import { isCredentialEnvName, isCredentialValue } from "./lib/credentials";
import { at, numeric, record, records, strings, text } from "./lib/values";

/** Without requests the scheduler overcommits; without a memory limit one node can starve its neighbours. */
export const containerResources = resourceRule({
    name: "k8s-container-resources",
    description: "Every container sets CPU and memory requests and a memory limit.",
    enforcementLevel: "mandatory",
    types: WORKLOAD_TYPES,
    check: (props, report, _config, args) =>
        eachContainer(args.type, props, report, (container) => {
            const missing = [
                ["requests", "cpu"],
                ["requests", "memory"],
                ["limits", "memory"],
            ]
                .filter(([kind, resource]) => at(container, "resources", kind, resource) === undefined)
                .map((path) => `resources.${path.join(".")}`);
            return missing.length > 0 ? `does not set ${missing.join(", ")}` : undefined;
        }),
});

/** A process that runs as root turns any RCE into control of the node's container runtime surface. */
export const runAsNonRoot = resourceRule({
    name: "k8s-run-as-non-root",
    description: "Every container runs as a non-root user (runAsNonRoot: true, or a non-zero runAsUser).",
    enforcementLevel: "mandatory",
    types: WORKLOAD_TYPES,
    check: (props, report, _config, args) =>
        eachContainer(args.type, props, report, (container, template) => {
            const user = numeric(effective(container, template, "runAsUser"));
            if (effective(container, template, "runAsNonRoot") === true && user !== 0) {
                return undefined;
            }
            return user !== undefined && user > 0 ? undefined : "may run as root: set securityContext.runAsNonRoot: true with a non-zero runAsUser";
        }),
});

/** Redis writes only to its data volume; anything else writing to the image is an intruder. */
export const readOnlyRootFilesystem = resourceRule({
    name: "k8s-read-only-root-filesystem",
    description: "Every container has a read-only root filesystem.",
    enforcementLevel: "mandatory",
    types: WORKLOAD_TYPES,
    check: (props, report, _config, args) =>
        eachContainer(args.type, props, report, (container) =>
            at(container, "securityContext", "readOnlyRootFilesystem") === true ? undefined : "has a writable root filesystem: set securityContext.readOnlyRootFilesystem: true",
        ),
});

/** Redis needs no Linux capability at all. */
export const dropAllCapabilities = resourceRule({
    name: "k8s-drop-all-capabilities",
    description: "Every container drops ALL capabilities, is not privileged and cannot escalate privileges.",
    enforcementLevel: "mandatory",
    types: WORKLOAD_TYPES,
    check: (props, report, _config, args) =>
        eachContainer(args.type, props, report, (container) => {
            const context = record(container.securityContext) ?? {};
            const problems: string[] = [];
            if (!strings(at(context, "capabilities", "drop")).includes("ALL")) {
                problems.push('does not drop ALL capabilities: set securityContext.capabilities.drop: ["ALL"]');
            }
            if (context.privileged === true) {
                problems.push("is privileged: remove securityContext.privileged");
            }
            if (context.allowPrivilegeEscalation !== false) {
                problems.push("may escalate privileges: set securityContext.allowPrivilegeEscalation: false");
            }
            return problems.length > 0 ? problems.join("; ") : undefined;
        }),
});

/** A moving tag deploys whatever was pushed last, on whichever node pulls next. */
export const k8sImagePinned = resourceRule({
    name: "k8s-image-pinned",
    description: "Every container image is pinned by digest or exact version tag, never latest.",
    enforcementLevel: "mandatory",
    types: WORKLOAD_TYPES,
    check: (props, report, _config, args) => eachContainer(args.type, props, report, (container) => imagePinProblem(container.image)),
});

/** Literal env values are readable by anyone who can read the workload, and land in the state in plain text. */
export const noPlaintextSecretEnv = resourceRule({
    name: "k8s-no-plaintext-secret-env",
    description: "Environment variables that carry credentials come from a Secret (valueFrom.secretKeyRef), never a literal value or a ConfigMap; no literal value is a URL with a password or a private key.",
    enforcementLevel: "mandatory",
    types: WORKLOAD_TYPES,
    check: (props, report, _config, args) =>
        eachContainer(args.type, props, report, (container) => {
            const variables = records(container.env).filter((variable): variable is Record<string, any> & { name: string } => typeof variable.name === "string");
            const problems: string[] = [];
            const literal = variables
                .filter((variable) => typeof variable.value === "string" && (isCredentialEnvName(variable.name) || isCredentialValue(variable.value)))
                .map((variable) => variable.name);
            if (literal.length > 0) {
                problems.push(`sets ${literal.join(", ")} as a literal value: read it from a Secret with valueFrom.secretKeyRef`);
            }
            const fromConfigMap = variables.filter((variable) => isCredentialEnvName(variable.name) && at(variable, "valueFrom", "configMapKeyRef") !== undefined).map((variable) => variable.name);
            if (fromConfigMap.length > 0) {
                problems.push(`reads ${fromConfigMap.join(", ")} from a ConfigMap, which is stored and shown in plain text: use a Secret`);
            }
            return problems.length > 0 ? problems.join("; ") : undefined;
        }),
});

/** Replicas on one node or zone fail together. */
export const spreadReplicas = resourceRule({
    name: "k8s-spread-replicas",
    description: "StatefulSets and Deployments with more than one replica use pod anti-affinity or topology spread constraints (prod).",
    enforcementLevel: "mandatory",
    types: [KUBERNETES.statefulSet, KUBERNETES.deployment],
    check: (props, report, _config, args) => {
        const replicas = numeric(at(props, "spec", "replicas")) ?? 1;
        const template = podTemplateOf(args.type, props);
        if (replicas <= 1 || template === undefined) {
            return;
        }
        const antiAffinity = record(at(template.spec, "affinity", "podAntiAffinity"));
        if (antiAffinity === undefined && records(template.spec.topologySpreadConstraints).length === 0) {
            report(`${replicas} replicas without podAntiAffinity or topologySpreadConstraints: they may all land on one node or zone`);
        }
    },
});

function sameNamespace(resource: PolicyResource, namespace: string | undefined): boolean {
    return text(at(resource.props, "metadata", "namespace")) === namespace;
}

/** Whether a NetworkPolicy restricts ingress: `policyTypes` names Ingress, or is unset (Kubernetes then implies Ingress). */
function restrictsIngress(policy: PolicyResource): boolean {
    const types = at(policy.props, "spec", "policyTypes");
    return !Array.isArray(types) || strings(types).includes("Ingress");
}

/** Without a NetworkPolicy every pod in the cluster can reach Redis. */
export const networkPolicyCoverage = stackRule({
    name: "k8s-network-policy-coverage",
    description: "A NetworkPolicy that restricts ingress selects every pod that runs Redis, Valkey, a sentinel or an exporter.",
    enforcementLevel: "mandatory",
    check: (resources, report) => {
        const policies = ofTypes(resources, [KUBERNETES.networkPolicy]);
        for (const workload of ofTypes(resources, WORKLOAD_TYPES)) {
            const template = podTemplateOf(workload.type, workload.props);
            if (template === undefined || !runsRedis(template)) {
                continue;
            }
            const covered = policies.some(
                (policy) => restrictsIngress(policy) && sameNamespace(policy, template.namespace) && selectorMatches(at(policy.props, "spec", "podSelector"), template.labels),
            );
            if (!covered) {
                report(`${workload.name}: no NetworkPolicy restricting ingress selects its pods (labels ${JSON.stringify(template.labels)})`, workload.urn);
            }
        }
    },
});

/** Without a PDB, a node drain can evict a quorum of sentinels or a primary and its replica at once. */
export const pdbPerStatefulSet = stackRule({
    name: "k8s-pdb-per-statefulset",
    description: "Every StatefulSet has a PodDisruptionBudget selecting its pods.",
    enforcementLevel: "mandatory",
    check: (resources, report) => {
        const budgets = ofTypes(resources, [KUBERNETES.podDisruptionBudget]);
        for (const statefulSet of ofTypes(resources, [KUBERNETES.statefulSet])) {
            const template = podTemplateOf(statefulSet.type, statefulSet.props);
            if (template === undefined) {
                continue;
            }
            const covered = budgets.some((budget) => sameNamespace(budget, template.namespace) && selectorMatches(at(budget.props, "spec", "selector"), template.labels));
            if (!covered) {
                report(`${statefulSet.name}: no PodDisruptionBudget selects its pods (labels ${JSON.stringify(template.labels)})`, statefulSet.urn);
            }
        }
    },
});

/** Every Kubernetes rule that looks at one resource. */
export const KUBERNETES_RESOURCE_RULES: ResourceValidationPolicy[] = [
    containerResources,
    runAsNonRoot,
    readOnlyRootFilesystem,
    dropAllCapabilities,
    k8sImagePinned,
    noPlaintextSecretEnv,
    spreadReplicas,
];

/** Every Kubernetes rule that looks at the whole stack. */
export const KUBERNETES_STACK_RULES: StackValidationPolicy[] = [networkPolicyCoverage, pdbPerStatefulSet];
