import * as pulumi from "@pulumi/pulumi";
import { Redis } from "../components/redis";
import { parseStackConfig } from "./config/parse";
import { redisArgsFor } from "./config/redisArgs";
import { readStackSecrets } from "./secrets";

/** The stack outputs every backend exports. */
export interface StackOutputs {
    /** The backend the stack chose. */
    backend: string;
    /** `dev`, `staging` or `prod`. */
    environment: string;
    /** How to connect (mode, endpoints, TLS); no secret. */
    connection: pulumi.Output<unknown>;
    /** Username and password per role; secret. */
    credentials: pulumi.Output<unknown>;
    /**
     * A URL for the first application user; secret. `rediss://host:port` for standalone and cluster (a seed),
     * `rediss+sentinel://s1:port,s2:port,.../<masterName>` for Sentinel: never a sentinel as if it were Redis.
     */
    url: pulumi.Output<string>;
    /** `{ certPem, keyPem }` for applications when the deployment requires mTLS; secret. */
    clientCertificate?: pulumi.Output<unknown>;
    /** How to connect through the Envoy proxy (`redis:selfhosted.proxy.enabled`); no secret. */
    proxyConnection?: pulumi.Output<unknown>;
    /** A `rediss://` URL to the proxy for the first application user; secret. */
    proxyUrl?: pulumi.Output<string>;
}

/**
 * The whole program: validate this stack's config (failing before any resource on a mistake), build one
 * Redis with the chosen backend, and return the stack outputs.
 *
 * @param stack the stack name
 * @param allConfig the stack's config map (`pulumi.runtime.allConfig()`)
 */
export function redisProgram(stack: string, allConfig: Readonly<Record<string, string>>): StackOutputs {
    const config = parseStackConfig(stack, allConfig);
    const redis = new Redis("redis", redisArgsFor(config, readStackSecrets(config.secretKeys)));
    return {
        backend: config.backend,
        environment: config.environment,
        connection: redis.connection,
        credentials: redis.credentials,
        url: redis.url,
        ...(redis.clientCertificate ? { clientCertificate: redis.clientCertificate } : {}),
        ...(redis.proxyConnection ? { proxyConnection: redis.proxyConnection } : {}),
        ...(redis.proxyUrl ? { proxyUrl: redis.proxyUrl } : {}),
    };
}
