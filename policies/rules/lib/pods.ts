import { KUBERNETES } from "./types";
import { at, record, records, strings, text } from "./values";

/** The pod template of a workload, as the rules need it. */
export interface PodTemplate {
    namespace: string | undefined;
    labels: Record<string, string>;
    spec: Record<string, any>;
    containers: Record<string, any>[];
}

/** The Kubernetes types that carry a pod template, with the path to it. */
const TEMPLATE_PATHS: Readonly<Record<string, string[]>> = {
    [KUBERNETES.statefulSet]: ["spec", "template"],
    [KUBERNETES.deployment]: ["spec", "template"],
    [KUBERNETES.daemonSet]: ["spec", "template"],
    [KUBERNETES.job]: ["spec", "template"],
    [KUBERNETES.cronJob]: ["spec", "jobTemplate", "spec", "template"],
    [KUBERNETES.pod]: [],
};

/** Every Kubernetes type that runs pods. */
export const WORKLOAD_TYPES: readonly string[] = Object.keys(TEMPLATE_PATHS);

/** The pod template of a workload, or `undefined` for any other resource. */
export function podTemplateOf(type: string, props: Record<string, any>): PodTemplate | undefined {
    const path = TEMPLATE_PATHS[type];
    if (path === undefined) {
        return undefined;
    }
    const template = record(at(props, ...path)) ?? {};
    const spec = record(template.spec) ?? {};
    const labels = Object.fromEntries(Object.entries(record(at(template, "metadata", "labels")) ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
    return {
        namespace: text(at(props, "metadata", "namespace")),
        labels,
        spec,
        containers: [...records(spec.initContainers), ...records(spec.containers)],
    };
}

/** A Kubernetes label selector. */
export interface LabelSelector {
    matchLabels?: Record<string, string>;
    matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** Whether a label selector selects a pod with these labels; an empty selector selects every pod. */
export function selectorMatches(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
    const object = record(selector);
    if (object === undefined) {
        return false;
    }
    const matchLabels = record(object.matchLabels) ?? {};
    if (!Object.entries(matchLabels).every(([key, value]) => labels[key] === value)) {
        return false;
    }
    return records(object.matchExpressions).every((expression) => {
        const key = String(expression.key);
        const values = strings(expression.values);
        switch (expression.operator) {
            case "In":
                return key in labels && values.includes(labels[key]);
            case "NotIn":
                return !(key in labels) || !values.includes(labels[key]);
            case "Exists":
                return key in labels;
            case "DoesNotExist":
                return !(key in labels);
            default:
                return false;
        }
    });
}

/** Whether a pod runs Redis, Valkey, a sentinel or a Redis exporter (judged by its images). */
export function runsRedis(template: PodTemplate): boolean {
    return template.containers.some((container) => /redis|valkey/i.test(String(container.image ?? "")));
}

/** Runs `check` on each container of a workload, naming the container in every message. */
export function eachContainer(
    type: string,
    props: Record<string, any>,
    report: (message: string) => void,
    check: (container: Record<string, any>, template: PodTemplate) => string | undefined,
): void {
    const template = podTemplateOf(type, props);
    if (template === undefined) {
        return;
    }
    for (const container of template.containers) {
        const problem = check(container, template);
        if (problem !== undefined) {
            report(`container ${JSON.stringify(container.name ?? "?")} ${problem}`);
        }
    }
}

/** A container's security setting, falling back to the pod's, as Kubernetes resolves it. */
export function effective(container: Record<string, any>, template: PodTemplate, key: string): unknown {
    return at(container, "securityContext", key) ?? at(template.spec, "securityContext", key);
}
