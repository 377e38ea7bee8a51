import type { EngineName } from "../redisconf/engines";

/**
 * Which parameter group family and Serverless major version go with an engine version. Pure: no Pulumi.
 */

/** The parameter group family of an ElastiCache engine version, e.g. `valkey8` or `redis7`. */
export function parameterGroupFamily(engine: { name: EngineName; version: string }): string {
    const major = engine.version.split(".")[0];
    if (engine.name === "redis" && major === "6") {
        return "redis6.x";
    }
    return `${engine.name}${major}`;
}

/** The Serverless versions ElastiCache offers: `major.minor` as stack config spells it, to the major it takes. */
const SERVERLESS_MAJORS: Readonly<Record<EngineName, Readonly<Record<string, string>>>> = {
    redis: { "7.1": "7" },
    valkey: { "7.2": "7", "8.0": "8", "8.1": "8" },
};

/**
 * The `majorEngineVersion` of a Serverless cache for a configured `major.minor` version, or `undefined` when
 * ElastiCache Serverless does not offer it.
 */
export function supportedServerlessMajor(engine: EngineName, version: string): string | undefined {
    return SERVERLESS_MAJORS[engine][version];
}
