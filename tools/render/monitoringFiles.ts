import * as path from "node:path";
import type { RecordedResource } from "../offline/mockRuntime";
import type { RenderedFile } from "./files";
import { ancestorOfType, byUrn, shortName } from "./registered";
import { isOnlySecret, redactRendered } from "./secrets";

/** The monitoring components of both platforms (`redisplatform:docker:Monitoring`, `redisplatform:kubernetes:Monitoring`). */
const MONITORING_COMPONENT = /^redisplatform:[a-z]+:Monitoring$/;

/**
 * Files a monitoring container or object carries: Docker uploads (named by their path under `/etc`), or
 * ConfigMap and Secret keys.
 */
function carriedFiles(resource: RecordedResource): { name: string; content: string }[] {
    if (resource.type === "docker:index/container:Container") {
        return ((resource.inputs.uploads ?? []) as { file: string; content?: string; contentBase64?: string }[])
            .filter((upload) => !upload.file.includes("/tls/"))
            .map((upload) => ({ name: upload.file.replace(/^\/etc\//, ""), content: upload.content ?? Buffer.from(upload.contentBase64 ?? "", "base64").toString("utf8") }));
    }
    // A ConfigMap's `data` is plain text; a Secret's `data` is base64 and its `stringData` plain.
    if (resource.type === "kubernetes:core/v1:ConfigMap") {
        return Object.entries((resource.inputs.data ?? {}) as Record<string, string>).map(([name, content]) => ({ name, content }));
    }
    if (resource.type === "kubernetes:core/v1:Secret") {
        return [
            ...Object.entries((resource.inputs.data ?? {}) as Record<string, string>).map(([name, value]) => ({ name, content: Buffer.from(value, "base64").toString("utf8") })),
            ...Object.entries((resource.inputs.stringData ?? {}) as Record<string, string>).map(([name, content]) => ({ name, content })),
        ];
    }
    return [];
}

/**
 * The configuration files of the stack's bundled monitoring, as the program registered them: Prometheus'
 * config and rule file, the Alertmanager config (receivers' URLs and keys redacted), Grafana's provisioning
 * and dashboard. Written as `monitoring/<path under /etc>` (Docker) or `monitoring/<object>/<key>`
 * (Kubernetes). Password files (Grafana's admin password, an exporter's password map), anything that is
 * nothing but a secret, and certificates are left out. Pure.
 */
export function monitoringFiles(resources: readonly RecordedResource[]): RenderedFile[] {
    const index = byUrn(resources);
    const files: RenderedFile[] = [];
    for (const resource of resources) {
        const component = ancestorOfType(resource, index, MONITORING_COMPONENT);
        if (component === undefined) {
            continue;
        }
        for (const file of carriedFiles(resource)) {
            if (file.content === "" || isOnlySecret(file.content) || /password/i.test(file.name)) {
                continue;
            }
            const directory = resource.type === "docker:index/container:Container" ? "" : shortName(resource.name, component.name);
            files.push({ path: path.posix.join("monitoring", directory, file.name), content: redactRendered(file.content) });
        }
    }
    return files;
}
