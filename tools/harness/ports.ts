import { createServer } from "node:net";

/** Ports the harness never uses: the well-known Redis and Sentinel ports, which a real server may own. */
const RESERVED_PORTS = new Set([6379, 16379, 26379]);

/**
 * The range ports are drawn from: below Linux's ephemeral range (32768 and up), so that a client's outgoing
 * connection cannot take the port of a node that is down between a kill and its restart.
 */
export const HARNESS_PORT_RANGE = { first: 20000, last: 32000 } as const;

function canListen(port: number): Promise<boolean> {
    return new Promise((resolve) => {
        const server = createServer();
        server.unref();
        server.once("error", () => resolve(false));
        server.listen({ host: "127.0.0.1", port, exclusive: true }, () => server.close(() => resolve(true)));
    });
}

/** Finds `count` distinct free loopback ports in {@link HARNESS_PORT_RANGE}, never 6379, 16379 or 26379. */
export async function freePorts(count: number): Promise<number[]> {
    const ports = new Set<number>();
    const span = HARNESS_PORT_RANGE.last - HARNESS_PORT_RANGE.first;
    for (let attempt = 0; ports.size < count; attempt++) {
        if (attempt > count * 100) {
            throw new Error(`could not find ${count} free ports between ${HARNESS_PORT_RANGE.first} and ${HARNESS_PORT_RANGE.last}`);
        }
        const port = HARNESS_PORT_RANGE.first + Math.floor(Math.random() * span);
        if (!RESERVED_PORTS.has(port) && !ports.has(port) && (await canListen(port))) {
            ports.add(port);
        }
    }
    return [...ports];
}
