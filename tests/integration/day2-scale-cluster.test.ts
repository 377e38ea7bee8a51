import { assertRedisBinaries } from "../../tools/harness/binaries";
import { scaleClusterReplicas } from "../../tools/day2/scenarios/scaleClusterReplicas";
import { day2TestOptions } from "../../tools/day2/runDir";
import { assertScaled } from "./day2-scaled";

describe("Day 2: scaling cluster replicas per shard with the rendered drain and join scripts under writes (real processes)", function () {
    it("1 -> 2 -> 1 replicas per shard: a primary that goes away hands over first, nothing lost", async function () {
        this.timeout(300000);
        assertRedisBinaries();
        assertScaled(await scaleClusterReplicas(day2TestOptions()), [
            "after scaling to 3 shards x 2 replicas: 3 primaries serve all 16384 slots, each with 2 replicas",
            "redis-6, which goes away next, is a primary before the scale-down",
            "after scaling to 3 shards x 1 replicas: 3 primaries serve all 16384 slots, each with 1 replicas",
        ]);
    });
});
