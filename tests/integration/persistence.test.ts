import { strict as assert } from "node:assert";
import type { LocalConfigOptions } from "../../tools/harness/config";
import { sleep } from "../../tools/harness/localDeployment";
import { launchDeployment } from "./helpers";

/** What each persistence setting promises across a restart. */
interface Case {
    title: string;
    options: LocalConfigOptions;
    /** How the node goes down. */
    stop: "crash" | "graceful";
    /** Wait before the stop (AOF everysec fsyncs once a second). */
    settleMs: number;
    /** Whether the data must be there after the restart. */
    survives: boolean;
}

const CASES: Case[] = [
    { title: "durable (AOF, fsync always) keeps every write through a kill -9", options: { topology: "standalone", profile: "durable" }, stop: "crash", settleMs: 0, survives: true },
    { title: "session (AOF, fsync every second) keeps writes older than a second through a kill -9", options: { topology: "standalone", profile: "session" }, stop: "crash", settleMs: 1500, survives: true },
    { title: "cache (RDB snapshots) keeps its data through a graceful restart", options: { topology: "standalone", profile: "cache" }, stop: "graceful", settleMs: 0, survives: true },
    { title: "persistence none starts empty after a restart", options: { topology: "standalone", profile: "cache", persistence: "none" }, stop: "graceful", settleMs: 0, survives: false },
];

describe("Persistence per profile on real Redis (standalone)", function () {
    for (const testCase of CASES) {
        describe(testCase.title, function () {
            it("restarts as the profile promises", async function () {
                const deployment = await launchDeployment(testCase.options);
                try {
                const client = deployment.client("redis-0", "app");
                await client.connect();
                for (let i = 0; i < 50; i++) {
                    await client.set(`app:persist:${i}`, String(i));
                }
                client.disconnect();
                await sleep(testCase.settleMs);
                if (testCase.stop === "crash") {
                    await deployment.killNode("redis-0");
                } else {
                    await deployment.stopNode("redis-0");
                }
                deployment.startNode("redis-0");
                await deployment.waitHealthy();
                const reader = deployment.client("redis-0", "app");
                await reader.connect();
                const values = await reader.mget(...Array.from({ length: 50 }, (_, i) => `app:persist:${i}`));
                reader.disconnect();
                const expected = Array.from({ length: 50 }, (_, i) => (testCase.survives ? String(i) : null));
                assert.deepEqual(values, expected);
                } finally {
                    await deployment.destroy();
                }
            });
        });
    }
});
