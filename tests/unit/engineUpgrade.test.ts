import { strict as assert } from "node:assert";
import { enginesAllowedBefore, engineStartEnvFor, engineUpgradePlan, EngineVersion, rdbFormatWritten, readsDataOf } from "../../components/redisconf/engineUpgrade";

const redis = (version: string): EngineVersion => ({ name: "redis", version });
const valkey = (version: string): EngineVersion => ({ name: "valkey", version });

describe("engine upgrade rules (engineUpgradePlan)", function () {
    it("knows the RDB format each engine writes", function () {
        assert.deepEqual(
            [redis("6.2"), redis("7.0"), redis("7.2"), redis("7.4"), redis("8.0"), redis("8.4"), valkey("7.2"), valkey("8.0"), valkey("8.1"), valkey("9.0")].map(rdbFormatWritten),
            [9, 10, 11, 12, 12, 12, 11, 11, 11, 80],
        );
    });

    it("a reader loads its own family's older formats, Valkey loads Redis up to 7.2, Redis loads no Valkey file", function () {
        assert.equal(readsDataOf(redis("7.2"), redis("7.0")), true);
        assert.equal(readsDataOf(redis("7.0"), redis("7.2")), false);
        assert.equal(readsDataOf(valkey("8.0"), redis("7.2")), true);
        assert.equal(readsDataOf(valkey("9.0"), redis("7.4")), false);
        assert.equal(readsDataOf(redis("8.0"), valkey("7.2")), false);
        assert.equal(readsDataOf(valkey("8.1"), valkey("9.0")), false);
    });

    it("leaves the same engine and version alone", function () {
        assert.deepEqual(engineUpgradePlan(redis("7.2"), redis("7.2")), { kind: "unchanged" });
    });

    it("rolls newer releases of the same engine, skips included, and Redis 7.0/7.2 to any Valkey", function () {
        for (const [from, to] of [
            [redis("7.0"), redis("7.2")],
            [redis("7.0"), redis("8.4")],
            [redis("7.4"), redis("8.0")],
            [valkey("7.2"), valkey("9.0")],
            [valkey("8.0"), valkey("8.1")],
            [redis("7.0"), valkey("7.2")],
            [redis("7.2"), valkey("9.0")],
        ]) {
            assert.deepEqual(engineUpgradePlan(from, to), { kind: "rolling", from, to }, `${from.name} ${from.version} -> ${to.name} ${to.version}`);
        }
    });

    it("refuses downgrades, Valkey to Redis, and Redis 7.4+ to Valkey, saying why", function () {
        const reason = (from: EngineVersion, to: EngineVersion) => {
            const plan = engineUpgradePlan(from, to);
            assert.equal(plan.kind, "refused", `${from.name} ${from.version} -> ${to.name} ${to.version}`);
            return plan.kind === "refused" ? plan.reason : "";
        };
        assert.match(reason(redis("7.4"), redis("7.2")), /^redis 7.2 is older than the deployed redis 7.4: downgrades are refused/);
        assert.match(reason(valkey("8.1"), valkey("8.0")), /downgrades are refused/);
        assert.match(reason(valkey("8.0"), redis("8.0")), /^Valkey to Redis is supported by neither project/);
        assert.match(reason(redis("7.4"), valkey("8.1")), /^valkey 8.1 cannot load the RDB 12 files redis 7.4 writes \(Valkey reads Redis data up to 7.2\)/);
        assert.match(reason(redis("8.4"), valkey("9.0")), /cannot load the RDB 12 files redis 8.4 writes/);
    });

    it("lists the engines a deployment may run before an upgrade to a target", function () {
        const candidates = [redis("7.0"), redis("7.2"), redis("7.4"), valkey("7.2"), valkey("8.0"), valkey("8.1")];
        assert.deepEqual(enginesAllowedBefore(valkey("8.0"), candidates), [redis("7.0"), redis("7.2"), valkey("7.2"), valkey("8.0")]);
        assert.deepEqual(enginesAllowedBefore(redis("7.2"), candidates), [redis("7.0"), redis("7.2")]);
    });

    it("tells a data node's start script its engine and the engines whose data it must refuse", function () {
        const refuses = (engine: EngineVersion) => engineStartEnvFor(engine).REDIS_ENGINE_REFUSES.split(" ");
        assert.equal(engineStartEnvFor(redis("7.2")).REDIS_ENGINE, "redis:7.2");
        assert.ok(refuses(redis("7.2")).includes("redis:7.4"), "a newer Redis's data (a downgrade)");
        assert.ok(refuses(redis("7.2")).includes("valkey:8.0"), "Valkey's data");
        assert.ok(!refuses(redis("7.2")).includes("redis:7.0"), "not an older Redis's");
        assert.ok(refuses(valkey("8.0")).includes("redis:7.4"), "Redis 7.4's RDB 12");
        assert.ok(!refuses(valkey("8.0")).includes("redis:7.2") && !refuses(valkey("8.0")).includes("valkey:7.2"));
    });
});
