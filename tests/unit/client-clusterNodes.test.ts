import { strict as assert } from "node:assert";
import { parseClusterNodes, servesSlot, slotCount } from "../../client/clusterNodes";

describe("CLUSTER NODES helpers", () => {
    const text = [
        "a1 127.0.0.1:7000@17000,redis-0 myself,master - 0 0 1 connected 0-5460 9000 [9001->-b2]",
        "b2 127.0.0.1:7001@17001 slave a1 0 0 1 connected",
    ].join("\n");

    it("reads flags and slot ranges", () => {
        const [primary, replica] = parseClusterNodes(text);
        assert.deepEqual(primary.flags, ["myself", "master"]);
        assert.deepEqual(primary.endpoint, { host: "redis-0", port: 7000 });
        assert.deepEqual(replica.slots, []);
    });

    it("answers which slots a node serves, skipping slots being migrated", () => {
        const [primary] = parseClusterNodes(text);
        assert.equal(servesSlot(primary.slots, 0), true);
        assert.equal(servesSlot(primary.slots, 5460), true);
        assert.equal(servesSlot(primary.slots, 5461), false);
        assert.equal(servesSlot(primary.slots, 9000), true);
        assert.equal(servesSlot(primary.slots, 9001), false);
        assert.equal(slotCount(primary.slots), 5462);
        assert.equal(slotCount([]), 0);
    });
});
