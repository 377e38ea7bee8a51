import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { allConfigKeys } from "../../stacks/config/keyPaths";
import { CONFIG_NAMESPACE } from "../../stacks/config/parse";
import { stackConfigSchema } from "../../stacks/config/schema";
import { PROJECT_ROOT } from "../../stacks/config/stackFile";

describe("README", () => {
    const readme = readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");

    it("documents every config key the schema accepts, and no other", () => {
        const documented = new Set([...readme.matchAll(/^\| `(redis:[^`]+)` \|/gm)].map((match) => match[1]));
        const accepted = new Set(allConfigKeys(stackConfigSchema, CONFIG_NAMESPACE));
        assert.deepEqual([...accepted].filter((key) => !documented.has(key)), [], "keys missing from the README's config reference");
        assert.deepEqual([...documented].filter((key) => !accepted.has(key)), [], "README documents keys the schema does not accept");
    });

    it("opens with a quickstart whose test command is the one .ci/run runs", () => {
        assert.match(readme.slice(0, 2000), /## Quickstart/);
        const ci = readFileSync(path.join(PROJECT_ROOT, ".ci", "run"), "utf8");
        assert.match(readme, /npm run setup && npm test/);
        assert.match(ci, /^npm run setup\nnpm test$/m);
    });
});
