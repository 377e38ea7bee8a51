import type { RedisOptions } from "ioredis";
import { ClientTls, directClient } from "../harness/clients";
import type { LocalDeployment } from "../harness/localDeployment";

/**
 * Commands against any process of a local run (including nodes a scenario added) with a password the
 * scenario holds: after a rotation the harness's own helpers still know only the first passwords.
 */

/** An address of a process. */
export interface Address {
    host: string;
    port: number;
}

/** The address of a node the harness rendered. */
export function addressOf(deployment: LocalDeployment, name: string): Address {
    const { node } = deployment.node(name);
    return { host: node.announceHost, port: node.port };
}

/**
 * Runs one command as `user` with `password` and closes the connection.
 *
 * @param tls overrides of the run's client TLS settings (another CA file, for instance)
 */
export async function commandAs(deployment: LocalDeployment, address: Address, user: string, password: string, args: (string | number)[], tls: Partial<ClientTls> = {}, redis: RedisOptions = {}): Promise<unknown> {
    const client = directClient(address.host, address.port, user, password, deployment.clientTls(tls), redis);
    client.on("error", () => undefined);
    try {
        await client.connect();
        return await client.call(String(args[0]), ...args.slice(1).map(String));
    } finally {
        client.disconnect();
    }
}

/**
 * Whether a new connection as `user` with `password` can log in and PING; when not, the first error the
 * connection reported (TLS and AUTH failures arrive as `error` events, the command only sees the close).
 */
export async function canLogIn(deployment: LocalDeployment, address: Address, user: string, password: string, tls: Partial<ClientTls> = {}): Promise<{ ok: boolean; error?: string }> {
    const client = directClient(address.host, address.port, user, password, deployment.clientTls(tls));
    let first: Error | undefined;
    client.on("error", (error: Error) => (first ??= error));
    try {
        await client.connect();
        return { ok: (await client.ping()) === "PONG" };
    } catch (error) {
        return { ok: false, error: (first ?? (error as Error)).message };
    } finally {
        client.disconnect();
    }
}
