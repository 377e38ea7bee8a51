import type { BackendBuilder } from "../backend";
import { UpstashDatabase } from "./database";
import { planUpstash } from "./plan";

/**
 * The `upstash` backend: plans the stack's `redis:upstash` section and builds one {@link UpstashDatabase}
 * under the facade, with the provider's API key from the secret `redis:upstashApiKey`.
 */
export const buildUpstash: BackendBuilder = (name, config, secrets, parent) => {
    const apiKey = secrets.upstashApiKey;
    if (apiKey === undefined) {
        throw new Error('buildUpstash: secret redis:upstashApiKey is not set: run pulumi config set --secret redis:upstashApiKey ...');
    }
    const database = new UpstashDatabase(`${name}-upstash`, { plan: planUpstash(name, config), apiKey }, { parent });
    return { connection: database.connection, credentials: database.credentials };
};
