import { strict as assert } from "node:assert";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";

// The day-2 suite lists its files longest first, so that `mocha --parallel` starts the longest scenarios
// first and the suite ends sooner; a file added to the directory but not to the list would never run.
describe("Day 2 suite", function () {
    it(".mocharc.day2.json lists every tests/integration/day2-*.test.ts file", function () {
        const root = path.resolve(__dirname, "../..");
        const listed = (JSON.parse(readFileSync(path.join(root, ".mocharc.day2.json"), "utf8")) as { spec: string[] }).spec.map((file) => path.basename(file));
        const present = readdirSync(path.join(root, "tests/integration")).filter((file) => /^day2-.*\.test\.ts$/.test(file));
        assert.deepEqual([...listed].sort(), [...present].sort());
    });
});
