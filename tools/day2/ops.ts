import type Redis from "ioredis";
import type { Cluster } from "ioredis";
import type { TrafficOps } from "./traffic";

/** SET then `WAIT 1` on the same connection to the primary: acknowledged means a replica has the write. */
export function primaryOps(client: Redis): TrafficOps {
    return {
        write: async (key, value) => {
            await client.set(key, value);
            return { acked: Number(await client.call("WAIT", "1", "1000")) >= 1 };
        },
        read: (key) => client.get(key),
    };
}

/** Redirections a cluster client follows by itself for single commands, but reports inside a pipeline. */
const REDIRECTION = /^(MOVED|ASK|TRYAGAIN) /;

/**
 * SET and `WAIT 1` in one pipeline, so both reach the primary of the key's slot. A single SET would follow a
 * MOVED or ASK redirection inside the client; in a pipeline whose WAIT succeeded on the old node the client
 * hands the redirection back instead, so it is followed here, as the client would (a slot being migrated
 * answers ASK until its keys have moved). Only an error that is not a redirection, or a redirection that
 * persists for `redirections` attempts, fails the write.
 */
export function clusterOps(client: Cluster, redirections = 100): TrafficOps {
    return {
        write: async (key, value) => {
            for (let attempt = 1; ; attempt++) {
                const results = await client.pipeline().set(key, value).call("WAIT", "1", "1000").exec();
                if (!results) {
                    throw new Error("the pipeline returned nothing");
                }
                const error = results.find(([failure]) => failure)?.[0];
                if (!error) {
                    return { acked: Number(results[1][1]) >= 1 };
                }
                if (!REDIRECTION.test(error.message) || attempt >= redirections) {
                    throw error;
                }
                if (error.message.startsWith("MOVED")) {
                    await new Promise<void>((resolve) => client.refreshSlotsCache(() => resolve()));
                }
                await new Promise((resolve) => setTimeout(resolve, 20));
            }
        },
        read: (key) => client.get(key),
    };
}
