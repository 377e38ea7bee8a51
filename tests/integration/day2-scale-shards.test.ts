import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { renderClusterDrainScript } from "../../components/redisconf/scripts/clusterDrain";
import { assertRedisBinaries } from "../../tools/harness/binaries";
import { freePorts } from "../../tools/harness/ports";
import { scaleShards } from "../../tools/day2/scenarios/scaleShards";
import { day2TestOptions } from "../../tools/day2/runDir";
import { assertScaled } from "./day2-scaled";

describe("Day 2: scaling cluster shards with the rendered drain and join scripts under writes (Cluster over TLS, real processes)", function () {
    it("4 -> 3 -> 4 -> 3 shards: slots move before nodes leave, nodes that come back join empty, nothing lost", async function () {
        // Three scaling steps (the scale-up run twice), each moving a quarter of the slots.
        this.timeout(300000);
        assertRedisBinaries();
        assertScaled(await scaleShards(day2TestOptions()), [
            "after scaling to 3 shards x 1 replicas: 3 primaries serve all 16384 slots, each with 1 replicas",
            "after scaling to 4 shards x 1 replicas: 4 primaries serve all 16384 slots, each with 1 replicas",
            "redis-6 had left the cluster (no node that stays knew it) before the platform stopped it",
            "redis-6 came back with its forgotten identity and rejoined as a new node",
            "redis-7 came back with its forgotten identity and rejoined as a new node",
            "scaling to 4 shards x 1 replicas again (both scripts re-run) moved nothing",
        ]);
    });
});

describe("cluster-drain.sh on a first deployment", function () {
    it("exits 0 without touching anything when no desired node answers", async function () {
        const dir = mkdtempSync(path.join(tmpdir(), "cluster-drain-"));
        try {
            writeFileSync(path.join(dir, "admin"), "not-a-real-password", { mode: 0o600 });
            const script = path.join(dir, "cluster-drain.sh");
            writeFileSync(script, renderClusterDrainScript());
            const [a, b, c, d] = await freePorts(4);
            const result = spawnSync("sh", [script], {
                encoding: "utf8",
                timeout: 30000,
                env: {
                    PATH: process.env.PATH,
                    REDIS_NODE_NAME: "redis-0",
                    REDIS_PASSWORD_DIR: dir,
                    REDIS_TLS: "no",
                    REDIS_CLUSTER_DRAIN_WAIT: "2",
                    REDIS_CLUSTER_PRIMARIES: [a, b, c].map((port, i) => `127.0.0.1:${port}:${port + 1}:${i}-${i}`).join(" "),
                    REDIS_CLUSTER_REPLICAS: `127.0.0.1:${d}:${d + 1}:127.0.0.1:${a}`,
                },
            });
            assert.equal(result.status, 0, result.stderr);
            assert.match(result.stderr, /nothing to drain \(a first deployment\)/);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
});
