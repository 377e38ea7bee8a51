import { parseConnectionUrl, ParsedConnectionUrl, RedisConnection } from "../components/connection";
import type { ClientOptions } from "./options";

/** Options of {@link createRedisClient} when it is given the stack's `url` output instead of `connection`. */
export interface UrlClientOptions extends ClientOptions {
    /**
     * What a URL cannot carry about TLS: the deployment's own CA (`connection.tls.caCertPem`, needed for
     * self-hosted stacks), the name to verify certificates against, and whether mTLS is required.
     * @default public roots, the host connected to, no client certificate
     */
    tls?: Omit<RedisConnection["tls"], "enabled">;
}

/**
 * Reads the stack's `url` output into a connection and a credential, adding the TLS settings a URL cannot
 * carry. Pure.
 *
 * @throws Error when the URL does not parse, or `tls` is given for a `redis://` (plain-text) URL
 */
export function connectionFromUrl(url: string, tls: UrlClientOptions["tls"]): ParsedConnectionUrl {
    const parsed = parseConnectionUrl(url);
    if (tls === undefined) {
        return parsed;
    }
    if (!parsed.connection.tls.enabled) {
        throw new Error("options.tls is set but the URL is redis:// (no TLS): use the rediss:// URL or drop options.tls");
    }
    return { ...parsed, connection: { ...parsed.connection, tls: { ...tls, enabled: true } } };
}
