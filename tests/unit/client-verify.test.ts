import { strict as assert } from "node:assert";
import { parseVerifyArgs } from "../../tools/verify/args";
import { describePersistence, judgeCertificate, judgeClusterInfo, judgeLatency, judgeMaxmemory, judgePersistence, judgeReplicaLink, judgeSentinels } from "../../tools/verify/judge";
import { formatMs, percentile, summarizeLatency } from "../../tools/verify/latency";
import { pairs, parseClusterNodes } from "../../tools/verify/nodes";
import { parseStackOutputs } from "../../tools/verify/outputs";
import { exitCodeFor, formatTable, redact, redactResults } from "../../tools/verify/report";
import { DENIAL_PROBES, isAclDenial, parseRoleOverrides, roleFromAclCommands, systemRoleFor } from "../../tools/verify/roles";

describe("verify: pure parts", () => {
    it("computes nearest-rank percentiles", () => {
        const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
        assert.equal(percentile(samples, 50), 50);
        assert.equal(percentile(samples, 99), 99);
        assert.equal(percentile(samples, 100), 100);
        assert.equal(percentile([7], 99), 7);
        assert.equal(percentile([1, 2, 3], 50), 2);
        assert.throws(() => percentile([], 50), /no samples/);
        assert.throws(() => percentile([1], 0), /must be in \(0, 100\]/);
        assert.deepEqual(summarizeLatency([3, 1, 2, 10]), { count: 4, p50: 2, p99: 10, max: 10 });
        assert.equal(formatMs(0.1234), "0.12 ms");
        assert.equal(formatMs(12.34), "12.3 ms");
    });

    it("formats a one-line-per-check table with a summary", () => {
        const table = formatTable([
            { check: "tls", target: "h:1", status: "pass", detail: "TLSv1.3" },
            { check: "acl-denial", target: "app FLUSHALL", status: "fail", detail: "NOT denied\nfor role app" },
            { check: "settings", target: "-", status: "skip", detail: "x".repeat(200) },
        ]);
        assert.equal(
            table,
            [
                "CHECK       TARGET        RESULT  DETAIL",
                "tls         h:1           PASS    TLSv1.3",
                "acl-denial  app FLUSHALL  FAIL    NOT denied for role app",
                `settings    -             SKIP    ${"x".repeat(97)}...`,
                "",
                "3 checks: 1 passed, 1 failed, 0 warnings, 1 skipped",
            ].join("\n"),
        );
        assert.equal(exitCodeFor([{ check: "a", target: "b", status: "warn", detail: "" }]), 0);
        assert.equal(exitCodeFor([{ check: "a", target: "b", status: "fail", detail: "" }]), 1);
    });

    it("masks every secret, longest first, in every field", () => {
        assert.equal(redact("pw=abcd1234 and abcd", ["abcd", "abcd1234"]), "pw=*** and ***");
        assert.equal(redact("a b c", ["b"]), "a b c");
        assert.deepEqual(redactResults([{ check: "login", target: "s3cret-pw", status: "fail", detail: "bad s3cret-pw" }], ["s3cret-pw"]), [
            { check: "login", target: "***", status: "fail", detail: "bad ***" },
        ]);
    });

    it("reads stack outputs and collects their secrets", () => {
        const outputs = parseStackOutputs(
            JSON.stringify({
                backend: "selfhosted",
                environment: "prod",
                connection: { mode: "standalone", endpoints: [{ host: "h", port: 6380 }], tls: { enabled: true } },
                credentials: { app: { username: "app", password: "pw-app" }, admin: { username: "admin", password: "pw-admin" } },
                url: "rediss://app:pw-app@h:6380",
            }),
        );
        assert.deepEqual(outputs.secrets, ["pw-app", "pw-admin", "rediss://app:pw-app@h:6380"]);
        assert.equal(outputs.environment, "prod");
        assert.throws(() => parseStackOutputs("not json"), /not JSON/);
        assert.throws(() => parseStackOutputs("{}"), /no `connection` key/);
    });

    it("takes the mTLS client certificate from the outputs and masks its key", () => {
        const outputs = parseStackOutputs(
            JSON.stringify({
                connection: { mode: "cluster", endpoints: [{ host: "h", port: 6379 }], tls: { enabled: true, clientCertRequired: true } },
                credentials: { app: { username: "app", password: "pw-app" } },
                clientCertificate: { certPem: "CERT", keyPem: "KEY-PEM" },
            }),
        );
        assert.deepEqual(outputs.clientCertificate, { certPem: "CERT", keyPem: "KEY-PEM" });
        assert.deepEqual(outputs.secrets, ["pw-app", "KEY-PEM"]);
    });

    it("knows roles from system names, ACL GETUSER and --roles", () => {
        assert.equal(systemRoleFor("monitor"), "monitor");
        assert.equal(systemRoleFor("app"), undefined);
        assert.equal(systemRoleFor("orders"), undefined);
        assert.equal(roleFromAclCommands("-@all +@all -@admin -@dangerous -flushall +info"), "app");
        assert.equal(roleFromAclCommands("-@all +@read +@connection -@dangerous -keys +info"), "readonly");
        assert.equal(roleFromAclCommands("+@all"), "admin");
        assert.equal(roleFromAclCommands("-@all +ping"), "unknown");
        assert.deepEqual(parseRoleOverrides("reporting=readonly, jobs=app"), { reporting: "readonly", jobs: "app" });
        assert.throws(() => parseRoleOverrides("jobs=root"), /--roles entry "jobs=root": must be user=role/);
        assert.equal(DENIAL_PROBES.admin.length, 0);
        assert.ok(DENIAL_PROBES.app.every((probe) => probe.inTransaction || probe.args.length > 1));
    });

    it("counts only NOPERM as a denial", () => {
        assert.equal(isAclDenial(new Error("NOPERM this user has no permissions to run the 'flushall' command")), true);
        assert.equal(isAclDenial(new Error("ERR syntax error")), false);
        assert.equal(isAclDenial("QUEUED"), false);
        assert.equal(isAclDenial(["maxmemory", "0"]), false);
    });

    it("judges certificates, sentinels, cluster state, replicas, settings and latency", () => {
        const now = new Date("2026-01-01T00:00:00Z");
        assert.deepEqual(judgeCertificate(new Date("2026-03-01T00:00:00Z"), now, 14), { status: "pass", days: 59 });
        assert.deepEqual(judgeCertificate(new Date("2026-01-05T00:00:00Z"), now, 14), { status: "warn", days: 4 });
        assert.equal(judgeCertificate(new Date("2025-12-31T00:00:00Z"), now, 14).status, "fail");

        const view = { sentinel: "s0", primary: "p:1", flags: "master", otherSentinels: 2, replicas: 2, quorum: 2 };
        assert.deepEqual(judgeSentinels([view, { ...view, sentinel: "s1" }, { ...view, sentinel: "s2" }], 3).map((row) => row.status), ["pass", "pass", "pass"]);
        const split = judgeSentinels([view, { ...view, sentinel: "s1", primary: "q:2", flags: "master,s_down", otherSentinels: 1 }], 3);
        assert.equal(split[1].detail, 'primary flags "master,s_down"; knows 1 other sentinels, expected 2; sentinels disagree on the primary (p:1, q:2)');

        assert.equal(judgeClusterInfo({ cluster_state: "ok", cluster_slots_assigned: "16384", cluster_slots_ok: "16384", cluster_slots_fail: "0" }).status, "pass");
        assert.equal(judgeClusterInfo({ cluster_state: "fail", cluster_slots_assigned: "16384", cluster_slots_ok: "10923", cluster_slots_fail: "5461" }).detail, "cluster_state fail; cluster_slots_ok 10923; cluster_slots_fail 5461");

        assert.equal(judgeReplicaLink({ role: "slave", master_link_status: "down", master_host: "h", master_port: "1" }).detail, "link to h:1 is down");
        assert.equal(judgeReplicaLink({ role: "master" }).status, "fail");

        assert.equal(describePersistence({ appendonly: "yes", appendfsync: "everysec", save: "" }), "aof everysec");
        assert.equal(describePersistence({ appendonly: "yes", appendfsync: "everysec", save: "3600 1" }), "aof everysec + rdb (3600 1)");
        assert.deepEqual(judgePersistence({ appendonly: "no", save: "" }, "prod"), { status: "warn", detail: "none: a restart empties the node" });
        assert.equal(judgePersistence({ appendonly: "no", save: "" }, "dev").status, "pass");
        assert.equal(judgePersistence({ appendonly: "yes", appendfsync: "no" }, "dev").status, "warn");
        assert.deepEqual(judgeMaxmemory({ maxmemory: "0" }), { status: "fail", detail: "maxmemory 0: unbounded" });
        assert.deepEqual(judgeMaxmemory({ maxmemory: "201326592", "maxmemory-policy": "volatile-lru" }), { status: "pass", detail: "maxmemory 192 MiB, policy volatile-lru" });

        assert.equal(judgeLatency({ count: 10, p50: 0.5, p99: 2, max: 3 }, 50).status, "pass");
        assert.match(judgeLatency({ count: 10, p50: 0.5, p99: 80, max: 90 }, 50).detail, /p99 above 50 ms$/);
    });

    it("parses CLUSTER NODES with announced host names, and flat replies", () => {
        const nodes = parseClusterNodes(
            "abc 127.0.0.1:7000@17000,redis-0.redis myself,master - 0 0 1 connected 0-5460\n" +
                "def 10.0.0.2:7001@17001 slave abc 0 1 1 connected\n" +
                "ghi :0@0 master,fail,noaddr - 0 0 2 disconnected\n",
        );
        assert.deepEqual(nodes.map((node) => [node.id, node.endpoint, node.flags, node.primaryId, node.slots]), [
            ["abc", { host: "redis-0.redis", port: 7000 }, ["myself", "master"], "-", ["0-5460"]],
            ["def", { host: "10.0.0.2", port: 7001 }, ["slave"], "abc", []],
            ["ghi", { host: "", port: 0 }, ["master", "fail", "noaddr"], "-", []],
        ]);
        assert.deepEqual(pairs(["ip", "h", "port", 1, "flags", ["a", "b"]]), { ip: "h", port: "1", flags: "a b" });
    });

    it("parses the command line, naming bad flags", () => {
        assert.deepEqual(parseVerifyArgs(["--outputs", "-"]), { outputs: "-", json: false, latencySamples: 200, maxP99Ms: 50, minCertDays: 14, roles: {} });
        assert.equal(parseVerifyArgs(["--outputs", "o.json", "--samples", "10", "--json", "--roles", "r=readonly"]).latencySamples, 10);
        assert.throws(() => parseVerifyArgs([]), /--outputs is required/);
        assert.throws(() => parseVerifyArgs(["--outputs", "-", "--nope"]), /unknown flag --nope/);
        assert.throws(() => parseVerifyArgs(["--outputs", "-", "--max-p99-ms=-1"]), /--max-p99-ms = -1: must be a number > 0/);
        assert.throws(() => parseVerifyArgs(["--outputs", "-", "--client-cert", "c.pem"]), /--client-cert and --client-key go together/);
    });
});
