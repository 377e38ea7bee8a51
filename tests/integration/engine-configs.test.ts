import { strict as assert } from "node:assert";
import { ENGINE_BINARIES_ENV, findEngineBinaries } from "../../tools/harness/engineBinaries";
import { checkEngine, ENGINE_CHECK_VARIANTS, locateEngines, supportedSelfHostedEngines } from "../../tools/harness/engineCheck";

/**
 * Every supported self-hosted engine version whose binaries are here runs the files the renderers produce for
 * it (`npm run engine-check` is the same check as a command). Debian's Redis 7.0 is always here; the other
 * versions only where `REDIS_PLATFORM_ENGINE_BINARIES` names a directory of builds (README, "Engines"): the
 * versions this run could not check are printed, never passed silently.
 */
describe("engines: each version's rendered files run on that engine", function () {
    const { found, missing } = locateEngines(supportedSelfHostedEngines());

    after(function () {
        if (missing.length > 0) {
            console.error(
                `\n  NOTICE: engine versions NOT checked here (set ${ENGINE_BINARIES_ENV}, see README "Engines"):\n` +
                    missing.map((gap) => `    ${gap.engine.name} ${gap.engine.version}: ${gap.reason}`).join("\n"),
            );
        }
    });

    it("finds Debian's Redis 7.0 on PATH (the version CI always checks)", function () {
        const located = findEngineBinaries({ name: "redis", version: "7.0" }, {});
        assert.ok(!("reason" in located), "reason" in located ? located.reason : "");
        assert.equal(located.source, "path");
        assert.equal(located.exact, true);
    });

    for (const binaries of found) {
        it(`${binaries.engine.name} ${binaries.engine.version} (${binaries.server} reports ${binaries.reportedVersion}): every variant starts healthy and keeps every directive`, async function () {
            this.timeout(ENGINE_CHECK_VARIANTS.length * 90000);
            const result = await checkEngine(binaries);
            assert.ok(result.status !== "unchecked");
            assert.deepEqual(
                result.variants.filter((variant) => variant.status !== "accepted"),
                [],
            );
        });
    }

    it("refuses files rendered for a newer version than the binary: Redis 7.4's on Debian's 7.0 fail, naming the directive", async function () {
        this.timeout(30000);
        const debian = findEngineBinaries({ name: "redis", version: "7.0" }, {});
        assert.ok(!("reason" in debian));
        const result = await checkEngine({ ...debian, engine: { name: "redis", version: "7.4" }, exact: false }, undefined, [ENGINE_CHECK_VARIANTS[3]], 5000);
        assert.ok(result.status === "refused", JSON.stringify(result));
        assert.match(result.variants[0].detail ?? "", /hide-user-data-from-log/);
    });
});
