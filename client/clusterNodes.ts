import type { Endpoint } from "../components/connection";

/** One node of `CLUSTER NODES`. */
export interface ClusterNodeLine {
    id: string;
    endpoint: Endpoint;
    flags: string[];
    /** The primary's id for a replica, `-` for a primary. */
    primaryId: string;
    linkState: string;
    /** Slot ranges, e.g. `0-5460`. */
    slots: string[];
}

/**
 * Parses `CLUSTER NODES`. The announced host name (after the comma) wins over the IP, so TLS names match.
 */
export function parseClusterNodes(text: string): ClusterNodeLine[] {
    const nodes: ClusterNodeLine[] = [];
    for (const line of text.split(/\r?\n/)) {
        const fields = line.trim().split(/\s+/);
        if (fields.length < 8) {
            continue;
        }
        const [id, address, flags, primaryId, , , , linkState, ...slots] = fields;
        // <ip>:<port>@<cport>[,<hostname>]
        const match = /^(.*):(\d+)@\d+(?:,(.*))?$/.exec(address);
        if (!match) {
            continue;
        }
        const host = match[3] !== undefined && match[3] !== "" ? match[3] : match[1];
        nodes.push({ id, endpoint: { host, port: Number(match[2]) }, flags: flags.split(","), primaryId, linkState, slots });
    }
    return nodes;
}

/** Whether the slot ranges of a `CLUSTER NODES` line (`0-5460`, `7`, `[93->-id]` migrations skipped) hold `slot`. */
export function servesSlot(slots: readonly string[], slot: number): boolean {
    return slots.some((range) => {
        if (range.startsWith("[")) {
            return false;
        }
        const [first, last = first] = range.split("-").map(Number);
        return slot >= first && slot <= last;
    });
}

/** How many slots the ranges of a `CLUSTER NODES` line hold (migrations in progress are not counted). */
export function slotCount(slots: readonly string[]): number {
    return slots
        .filter((range) => !range.startsWith("["))
        .reduce((total, range) => {
            const [first, last = first] = range.split("-").map(Number);
            return total + last - first + 1;
        }, 0);
}
