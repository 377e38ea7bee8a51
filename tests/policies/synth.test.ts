import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { PROJECT_ROOT } from "../../stacks/config/stackFile";
import { leakedSecrets, MOCK_SECRET_MARKER, resolveOutputs, runWithMocks } from "../../tools/offline/mockRuntime";
import { looksSecret, REDACTED, redactInputs, SynthFile } from "../../tools/offline/redact";
import { snapshotDiff, snapshotPath } from "../../tools/offline/snapshot";
import { OfflineStackRun, runStackOffline } from "../../tools/offline/stackRun";
import { fenced, mermaidDiagram, synthMarkdown } from "../../tools/offline/synthMarkdown";
import { synthJson, synthView } from "../../tools/offline/synthView";
import { fixtureProgram } from "./fixtureProgram";
import { STACKS } from "./helpers";

async function fixtureRun(): Promise<OfflineStackRun> {
    const run = await runWithMocks(fixtureProgram, { stack: "fixture" });
    return { stack: "fixture", status: "ok", resources: run.resources, outputs: await resolveOutputs(run.result as unknown as Record<string, unknown>) };
}

describe("synth", () => {
    it("redacts every mock secret of a program that feeds a password everywhere", async () => {
        const run = await fixtureRun();
        assert.ok(leakedSecrets(run.resources.map((resource) => resource.inputs)).length > 0, "the fixture really does carry secrets");
        const view = synthView(run);
        assert.deepEqual(leakedSecrets(synthMarkdown(view)), []);
        assert.deepEqual(leakedSecrets(synthJson(view)), []);
        assert.doesNotMatch(synthJson(view), new RegExp(Buffer.from(MOCK_SECRET_MARKER).toString("base64").slice(0, 8)));
        const byName = new Map(view.resources.map((resource) => [resource.name, resource]));
        assert.equal(byName.get("default-user")?.inputs.passwords, REDACTED);
        assert.equal(byName.get("passwords")?.inputs.stringData, REDACTED);
        assert.deepEqual(view.outputs, { host: "redis.example", leakyUrl: REDACTED, url: REDACTED });
    });

    it("is deterministic whatever the registration order", async () => {
        const run = await fixtureRun();
        const reversed = { ...run, resources: [...run.resources].reverse() };
        assert.equal(synthMarkdown(synthView(reversed)), synthMarkdown(synthView(run)));
        assert.equal(synthJson(synthView(reversed)), synthJson(synthView(run)));
    });

    it("prints the JSON shape {stack, resources: [{type, name, parent, inputs}]}", async () => {
        const json = JSON.parse(synthJson(synthView(await fixtureRun())));
        assert.equal(json.stack, "fixture");
        assert.deepEqual(Object.keys(json.resources[0]).slice(0, 4), ["type", "name", "parent", "inputs"]);
        assert.deepEqual(
            json.resources.map((resource: { type: string; name: string }) => `${resource.type} ${resource.name}`),
            [
                "aws:elasticache/user:User default-user",
                "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule open",
                "docker:index/container:Container redis-0",
                "kubernetes:core/v1:Secret passwords",
                "random:index/randomPassword:RandomPassword app-password",
            ],
        );
    });

    it("redacts by secret inputs, credential names and credential-looking text", () => {
        assert.deepEqual(redactInputs("x", { token: "t", tokenCount: 3, note: "ok", conf: "a\nb", url: "redis://u:p@h:1", tags: { a: "b" } }, ["note"]), {
            conf: "<text: 2 line(s), sha256:7e18f737311b>",
            note: REDACTED,
            token: REDACTED,
            tokenCount: 3,
            url: REDACTED,
        });
        assert.equal(looksSecret(Buffer.from(`${MOCK_SECRET_MARKER}-x`).toString("base64")), true);
        assert.equal(looksSecret("plain"), false);
    });

    it("shows rendered files in full, item by item in a mixed secret upload list, never a credential", () => {
        const acl = `user app on #${"ab".repeat(32)} ~app:* +@all\n`;
        const files: SynthFile[] = [];
        const inputs = redactInputs(
            "docker:index/container:Container",
            {
                uploads: [
                    { file: "/etc/redis/conf/node.conf", content: "port 7000\nmaxmemory 400mb\n" },
                    { file: "/etc/redis/passwords/app", content: `${MOCK_SECRET_MARKER}-password-app` },
                    { file: "/etc/redis/acl/users.acl", content: acl },
                    { file: "/etc/redis/tls/tls.key", content: `-----BEGIN ${MOCK_SECRET_MARKER} KEY x-----` },
                ],
            },
            ["uploads"],
            files,
        );
        assert.deepEqual(files, [{ path: "uploads[0].content (/etc/redis/conf/node.conf)", content: "port 7000\nmaxmemory 400mb\n" }]);
        assert.deepEqual(
            (inputs.uploads as { content: string }[]).map((upload) => upload.content),
            ["<text: 3 line(s), sha256:1d1a96550c4f>", REDACTED, REDACTED, REDACTED],
        );
        const configMap: SynthFile[] = [];
        redactInputs("kubernetes:core/v1:ConfigMap", { data: { "redis.conf": "a\nb", "policy.json": '{"Statement":[]}'.padEnd(401, " ") } }, [], configMap);
        assert.deepEqual(configMap, [
            { path: 'data["policy.json"]', content: '{\n  "Statement": []\n}\n' },
            { path: 'data["redis.conf"]', content: "a\nb" },
        ]);
    });

    it("a changed threshold in a rule file shows as that one line in the snapshot diff", () => {
        const view = (threshold: number) =>
            synthMarkdown({
                stack: "fixture",
                status: "ok",
                outputs: {},
                resources: [
                    {
                        type: "kubernetes:core/v1:ConfigMap",
                        name: "rules",
                        parent: null,
                        protect: false,
                        depth: 0,
                        inputs: {},
                        files: [{ path: 'data["redis-rules.yml"]', content: `- alert: RedisMemoryHigh\n  expr: used / max > ${threshold}\n` }],
                    },
                ],
            });
        assert.deepEqual(snapshotDiff(view(0.8), view(0.9)).slice(1), ["-   expr: used / max > 0.8", "+   expr: used / max > 0.9"]);
    });

    it("fences a file so that no line inside can close it", () => {
        assert.deepEqual(fenced("a\n```\nb\n"), ["````text", "a\n```\nb", "````"]);
    });

    it("draws the resource tree as a Mermaid flowchart", () => {
        const diagram = mermaidDiagram([
            { type: "redisplatform:index:Redis", name: "redis", parent: null, inputs: {}, protect: false, files: [], depth: 0 },
            { type: "aws:kms/key:Key", name: "redis-key", parent: "redis", inputs: {}, protect: true, files: [], depth: 1 },
        ]);
        assert.equal(diagram, ['graph TD', '    n0["redis<br/>index:Redis"]', '    n1["redis-key<br/>kms/key:Key"]', "    n0 --> n1"].join("\n"));
    });

    it("shows where a stale snapshot differs", () => {
        assert.deepEqual(snapshotDiff("a\nb\nc\n", "a\nb\nc\n"), []);
        assert.deepEqual(snapshotDiff("a\nb\nc\n", "a\nB\nc\n"), ["@@ line 2 @@", "- b", "+ B"]);
    });

    for (const stack of STACKS) {
        it(`${stack}: the committed snapshot is up to date and holds no secret`, async () => {
            const file = snapshotPath(stack);
            assert.ok(existsSync(file), `missing ${file}: run npm run synth -- --stack ${stack} --out stacks/snapshots/${stack}.md`);
            const committed = readFileSync(file, "utf8");
            const current = synthMarkdown(synthView(await runStackOffline(stack)));
            assert.deepEqual(snapshotDiff(committed, current), [], `stale: run npm run synth -- --stack ${stack} --out stacks/snapshots/${stack}.md`);
            assert.deepEqual(leakedSecrets(committed), []);
            assert.doesNotMatch(committed, /offline-placeholder-secret|PRIVATE KEY|BEGIN MOCK-SECRET|#[0-9a-f]{64}/);
        });
    }

    it("the self-hosted snapshots show redis.conf, the alert rules and the dashboard in full", () => {
        for (const stack of ["dev", "staging", "example-k8s-cluster"]) {
            const committed = readFileSync(snapshotPath(stack), "utf8");
            assert.match(committed, /\n(# .*\n)*maxmemory-policy [a-z-]+\n/, `${stack}: redis.conf`);
            assert.match(committed, /\n\s+- alert: RedisPrimaryMissing\n/, `${stack}: the rule file`);
            assert.match(committed, /\n\s+"title": "[^"]+",?\n/, `${stack}: the dashboard`);
        }
    });

    it("npm run synth --check exits 0 on a fresh snapshot and ends --json output with the JSON line", () => {
        const stack = STACKS[0];
        const result = spawnSync(process.execPath, ["--import", "tsx", "tools/synth.ts", "--stack", stack, "--check", "--json"], { cwd: PROJECT_ROOT, encoding: "utf8" });
        assert.equal(result.status, 0, result.stderr);
        const lines = result.stdout.trim().split("\n");
        assert.equal(JSON.parse(lines[lines.length - 1]).stack, stack);
    });
});
