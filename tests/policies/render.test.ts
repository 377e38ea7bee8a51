import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { MOCK_SECRET_MARKER } from "../../tools/offline/mockRuntime";
import { asDeploymentConfig, stackConfig } from "../../tools/harness/config";
import { OfflineStackRun, runStackOffline } from "../../tools/offline/stackRun";
import { RENDER_MANIFEST, renderStream, writeRendered } from "../../tools/render/output";
import { RenderedStack, renderStackRun } from "../../tools/render/renderStack";
import { assertNoSecrets, isOnlySecret, RENDER_REDACTED, redactRendered } from "../../tools/render/secrets";

const KUBERNETES_OBJECT = /^kubernetes:[^:]+\/[^:]+:[A-Za-z]+$/;

/** Every script given to a shell as `sh -c <script>` (or `/bin/sh`, `bash`) anywhere in a resource's inputs. */
function inlineShellScripts(value: unknown): string[] {
    if (Array.isArray(value)) {
        const scripts = value.flatMap((item, index) =>
            item === "-c" && /(^|\/)(ba)?sh$/.test(String(value[index - 1])) && typeof value[index + 1] === "string" ? [value[index + 1] as string] : [],
        );
        return [...scripts, ...value.flatMap(inlineShellScripts)];
    }
    return value !== null && typeof value === "object" ? Object.values(value).flatMap(inlineShellScripts) : [];
}

describe("render", () => {
    const rendered: Record<string, RenderedStack> = {};
    const runs: Record<string, OfflineStackRun> = {};
    before(async () => {
        for (const stack of ["dev", "staging", "example-k8s-cluster"]) {
            runs[stack] = await runStackOffline(stack);
            rendered[stack] = renderStackRun(asDeploymentConfig(stackConfig(stack)), runs[stack]);
        }
    });
    const file = (stack: string, name: string) => {
        const found = rendered[stack].files.find((candidate) => candidate.path === name);
        assert.ok(found, `${stack}: ${name} is rendered`);
        return found.content;
    };

    it("dev (Docker): node files, scripts, and the Prometheus config, rule file, Alertmanager config and Grafana dashboard it uploads; no manifests", () => {
        const paths = rendered.dev.files.map((candidate) => candidate.path);
        for (const name of ["users.acl", "redis-0/redis.conf", "redis-0/env", "sentinel-0/sentinel.conf", "scripts/redis-start.sh", "scripts/redis-backup.sh"]) {
            assert.ok(paths.includes(name), name);
        }
        assert.deepEqual(
            paths.filter((name) => name.startsWith("monitoring/")),
            [
                "monitoring/alertmanager/config/alertmanager.yml",
                "monitoring/grafana/dashboards/redis.json",
                "monitoring/grafana/provisioning/dashboards/redis.yaml",
                "monitoring/grafana/provisioning/datasources/prometheus.yaml",
                "monitoring/prometheus/config/prometheus.yml",
                "monitoring/prometheus/config/redis-rules.yml",
            ],
        );
        assert.equal(paths.filter((name) => name.startsWith("manifests/")).length, 0);
        assert.match(file("dev", "monitoring/prometheus/config/redis-rules.yml"), /- alert: RedisPrimaryMissing\n/);
        assert.match(file("dev", "monitoring/prometheus/config/prometheus.yml"), /rule_files:/);
        assert.ok(Array.isArray((JSON.parse(file("dev", "monitoring/grafana/dashboards/redis.json")) as { panels: unknown[] }).panels));
        assert.match(file("dev", "monitoring/alertmanager/config/alertmanager.yml"), /^global:/m);
        assert.deepEqual([...paths].sort(), paths, "sorted by path");
    });

    it("staging (Kubernetes): one manifest per registered Kubernetes object, parsable, Secret values redacted, keys kept", () => {
        const objects = runs.staging.resources.filter((resource) => KUBERNETES_OBJECT.test(resource.type));
        const manifests = rendered.staging.files.filter((candidate) => candidate.path.startsWith("manifests/"));
        assert.equal(manifests.length, objects.length);
        assert.ok(objects.length > 20);
        for (const manifest of manifests) {
            const object = parse(manifest.content) as { apiVersion: string; kind: string; metadata: { name: string } };
            assert.match(object.apiVersion, /^(v1|[a-z0-9.]+\/v[0-9a-z]+)$/, manifest.path);
            assert.ok(manifest.path.startsWith(`manifests/${object.kind.toLowerCase()}-`), manifest.path);
            assert.ok(object.metadata.name, manifest.path);
        }
        const passwords = parse(file("staging", "manifests/secret-redis-kubernetes-passwords.yaml")) as { kind: string; stringData: Record<string, string> };
        assert.equal(passwords.kind, "Secret");
        assert.deepEqual(Object.values(passwords.stringData), Object.keys(passwords.stringData).map(() => RENDER_REDACTED));
        const statefulSet = parse(file("staging", "manifests/statefulset-redis-kubernetes-redis.yaml")) as { apiVersion: string; spec: { replicas: number } };
        assert.deepEqual([statefulSet.apiVersion, statefulSet.spec.replicas], ["apps/v1", 3]);
        assert.match(file("staging", "monitoring/redis-prometheus/redis-rules.yml"), /- alert: RedisPrimaryMissing\n/);
        assert.match(file("staging", "monitoring/alertmanager-config/alertmanager.yml"), /^receivers:/m);
    });

    it("no rendered file holds a password, key, hash or secret config value", () => {
        for (const stack of Object.keys(rendered)) {
            for (const candidate of rendered[stack].files) {
                assert.doesNotMatch(candidate.content, new RegExp(`${MOCK_SECRET_MARKER}|PRIVATE KEY|offline-placeholder-secret|#[0-9a-f]{64}`), `${stack}: ${candidate.path}`);
            }
            const monitoring = rendered[stack].files.filter((candidate) => candidate.path.startsWith("monitoring/"));
            assert.deepEqual(monitoring.filter((candidate) => /password/i.test(candidate.path)), [], "no password file of the monitoring is rendered");
        }
    });

    it("the inline `sh -c` commands of every container and probe pass sh -n and shellcheck (warnings and errors)", () => {
        const scripts = new Set(Object.values(runs).flatMap((run) => run.resources.flatMap((resource) => inlineShellScripts(resource.inputs))));
        assert.ok(scripts.size >= 10, `found ${scripts.size}`);
        const dir = mkdtempSync(path.join(tmpdir(), "inline-sh-"));
        try {
            const files = [...scripts].map((script, index) => {
                const name = path.join(dir, `inline-${index}.sh`);
                writeFileSync(name, `#!/bin/sh\n${script}\n`);
                const syntax = spawnSync("sh", ["-n", name], { encoding: "utf8" });
                assert.equal(syntax.status, 0, `sh -n: ${syntax.stderr}\n${script}`);
                return name;
            });
            // Notes (unquoted $POD_NAME in paths, sourced env files) are left to the platforms' owners; warnings fail.
            const lint = spawnSync("shellcheck", ["--shell=sh", "--severity=warning", "--format=gcc", ...files], { encoding: "utf8" });
            assert.equal(lint.error, undefined, "shellcheck runs (Debian package shellcheck)");
            assert.equal(lint.stdout, "", "shellcheck findings");
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    it("redacts secrets inside a file and refuses to write one that still holds a secret", () => {
        const text = `url: https://hooks.example/${MOCK_SECRET_MARKER}-config-slackWebhookUrl\nuser app on #${"0f".repeat(32)}\n-----BEGIN ${MOCK_SECRET_MARKER} KEY redis-ca-ca-key-----\n`;
        assert.equal(redactRendered(text), `url: https://hooks.example/${RENDER_REDACTED}\nuser app on #${RENDER_REDACTED}\n${RENDER_REDACTED}\n`);
        assert.equal(isOnlySecret(`${MOCK_SECRET_MARKER}-password-app\n`), true);
        assert.equal(isOnlySecret("port 7000\n"), false);
        assert.throws(() => assertNoSecrets([{ path: "a.yml", content: Buffer.from(`${MOCK_SECRET_MARKER}-x`).toString("base64") }]), /a\.yml would hold a secret/);
    });

    it("streams every file like helm template: --- and a Source line each", () => {
        assert.equal(renderStream([{ path: "a/b.conf", content: "x 1\n" }, { path: "c.sh", content: "echo" }]), "---\n# Source: a/b.conf\nx 1\n---\n# Source: c.sh\necho\n");
    });

    describe("an output directory", () => {
        let dir: string;
        beforeEach(() => {
            dir = mkdtempSync(path.join(tmpdir(), "render-out-"));
        });
        afterEach(() => rmSync(dir, { recursive: true, force: true }));

        it("loses the files an earlier render wrote and this one does not, and nothing else", () => {
            writeFileSync(path.join(dir, "notes.txt"), "mine");
            writeRendered(dir, "dev", [{ path: "a/old.conf", content: "1" }, { path: "kept.conf", content: "1" }, { path: "script.sh", content: "#!/bin/sh\n", mode: 0o755 }]);
            const outcome = writeRendered(dir, "dev", [{ path: "kept.conf", content: "2" }]);
            assert.deepEqual(outcome, { written: ["kept.conf"], removed: ["a/old.conf", "script.sh"] });
            assert.equal(existsSync(path.join(dir, "a")), false, "the directory left empty goes too");
            assert.equal(readFileSync(path.join(dir, "notes.txt"), "utf8"), "mine");
            assert.equal(readFileSync(path.join(dir, "kept.conf"), "utf8"), "2");
            assert.deepEqual(JSON.parse(readFileSync(path.join(dir, RENDER_MANIFEST), "utf8")).files, ["kept.conf"]);
        });

        it("never deletes outside the directory or what its manifest does not list, even with a tampered manifest", () => {
            const outside = mkdtempSync(path.join(tmpdir(), "render-outside-"));
            try {
                writeFileSync(path.join(outside, "precious"), "keep");
                mkdirSync(path.join(dir, "sub"));
                writeFileSync(path.join(dir, "sub", "other"), "keep");
                writeFileSync(path.join(dir, RENDER_MANIFEST), JSON.stringify({ files: [`../${path.basename(outside)}/precious`, "/etc/hostname", "sub/missing"] }));
                assert.deepEqual(writeRendered(dir, "dev", [{ path: "x.conf", content: "x" }]).removed, ["sub/missing"]);
                assert.equal(readFileSync(path.join(outside, "precious"), "utf8"), "keep");
                assert.equal(readFileSync(path.join(dir, "sub", "other"), "utf8"), "keep");
            } finally {
                rmSync(outside, { recursive: true, force: true });
            }
        });
    });
});
