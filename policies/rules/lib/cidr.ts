/**
 * CIDR arithmetic for the network rules: how many public (globally routable) addresses a set of CIDR blocks
 * covers, computed over the union of the blocks, so `0.0.0.0/1` plus `128.0.0.0/1`, a `/4` or a long list of
 * small blocks are judged by what they open, not by how they are spelled. Pure, BigInt-based.
 */

/** One CIDR block as an inclusive address range. */
export interface AddressRange {
    family: 4 | 6;
    first: bigint;
    last: bigint;
}

function ipv4Value(text: string): bigint | undefined {
    const parts = text.split(".");
    if (parts.length !== 4 || !parts.every((part) => /^[0-9]{1,3}$/.test(part) && Number(part) <= 255)) {
        return undefined;
    }
    return parts.reduce((value, part) => (value << 8n) | BigInt(Number(part)), 0n);
}

function ipv6Value(text: string): bigint | undefined {
    let address = text;
    // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hextets.
    const v4 = /([0-9.]+)$/.exec(address);
    if (v4 !== null && v4[1].includes(".")) {
        const value = ipv4Value(v4[1]);
        if (value === undefined) {
            return undefined;
        }
        address = `${address.slice(0, -v4[1].length)}${(value >> 16n).toString(16)}:${(value & 0xffffn).toString(16)}`;
    }
    const halves = address.split("::");
    if (halves.length > 2) {
        return undefined;
    }
    const head = halves[0] === "" ? [] : halves[0].split(":");
    const tail = halves.length === 2 && halves[1] !== "" ? halves[1].split(":") : [];
    const missing = 8 - head.length - tail.length;
    if ((halves.length === 1 && missing !== 0) || missing < 0) {
        return undefined;
    }
    const hextets = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
    if (!hextets.every((hextet) => /^[0-9a-fA-F]{1,4}$/.test(hextet))) {
        return undefined;
    }
    return hextets.reduce((value, hextet) => (value << 16n) | BigInt(parseInt(hextet, 16)), 0n);
}

/** Parses `a.b.c.d/n` or an IPv6 `x::/n` (a bare address is a /32 or /128); `undefined` when malformed. */
export function parseCidr(text: string): AddressRange | undefined {
    const [address, prefixText, ...rest] = text.trim().split("/");
    if (rest.length > 0 || address === undefined) {
        return undefined;
    }
    const family = address.includes(":") ? 6 : 4;
    const bits = family === 4 ? 32 : 128;
    const prefix = prefixText === undefined ? bits : /^[0-9]{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
    const value = family === 4 ? ipv4Value(address) : ipv6Value(address);
    if (value === undefined || !(prefix >= 0 && prefix <= bits)) {
        return undefined;
    }
    const size = 1n << BigInt(bits - prefix);
    const first = value - (value % size);
    return { family, first, last: first + size - 1n };
}

function ranges(blocks: readonly string[], family: 4 | 6): AddressRange[] {
    return blocks.map(parseCidr).filter((range): range is AddressRange => range !== undefined && range.family === family);
}

/** Merges overlapping and adjacent ranges of one family into a sorted, disjoint list. */
export function mergeRanges(input: readonly AddressRange[]): AddressRange[] {
    const sorted = [...input].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
    const merged: AddressRange[] = [];
    for (const range of sorted) {
        const last = merged[merged.length - 1];
        if (last !== undefined && range.first <= last.last + 1n) {
            last.last = range.last > last.last ? range.last : last.last;
        } else {
            merged.push({ ...range });
        }
    }
    return merged;
}

/** `from` minus every range of `holes` (all one family). */
export function subtractRanges(from: readonly AddressRange[], holes: readonly AddressRange[]): AddressRange[] {
    let remaining = mergeRanges(from);
    for (const hole of mergeRanges(holes)) {
        remaining = remaining.flatMap((range) => {
            if (hole.last < range.first || hole.first > range.last) {
                return [range];
            }
            const pieces: AddressRange[] = [];
            if (hole.first > range.first) {
                pieces.push({ family: range.family, first: range.first, last: hole.first - 1n });
            }
            if (hole.last < range.last) {
                pieces.push({ family: range.family, first: hole.last + 1n, last: range.last });
            }
            return pieces;
        });
    }
    return remaining;
}

/**
 * IPv4 space that is not reachable from the internet: "this network", RFC 1918, shared CGNAT space,
 * loopback, link-local, IETF protocol assignments, documentation (TEST-NET-1/2/3), benchmarking, multicast
 * and reserved (RFC 6890).
 */
const NON_PUBLIC_V4 = [
    "0.0.0.0/8",
    "10.0.0.0/8",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.0.0.0/24",
    "192.0.2.0/24",
    "192.168.0.0/16",
    "198.18.0.0/15",
    "198.51.100.0/24",
    "203.0.113.0/24",
    "224.0.0.0/3",
];

/** IPv6 global unicast space (2000::/3) minus documentation (2001:db8::/32): everything else is not routed. */
const PUBLIC_V6 = ["2000::/3"];
const NON_PUBLIC_V6 = ["2001:db8::/32"];

/** The public addresses a set of blocks covers, per family, over their union (`except` blocks removed). */
export function publicAddressCount(blocks: readonly string[], except: readonly string[] = []): { v4: bigint; v6: bigint } {
    const count = (list: AddressRange[]) => list.reduce((sum, range) => sum + (range.last - range.first + 1n), 0n);
    const v4 = subtractRanges(ranges(blocks, 4), [...ranges(NON_PUBLIC_V4, 4), ...ranges(except, 4)]);
    const v6Covered = subtractRanges(ranges(blocks, 6), [...ranges(NON_PUBLIC_V6, 6), ...ranges(except, 6)]);
    const v6 = v6Covered.flatMap((range) => {
        const [global] = ranges(PUBLIC_V6, 6);
        const first = range.first > global.first ? range.first : global.first;
        const last = range.last < global.last ? range.last : global.last;
        return first <= last ? [{ family: 6 as const, first, last }] : [];
    });
    return { v4: count(v4), v6: count(v6) };
}

/** The largest public block a rule tolerates, as prefix lengths: more public addresses than that is "large". */
export interface PublicRangeLimits {
    /** @default 24: more public IPv4 addresses than a /24 (256) is a large public range */
    largestPublicPrefixV4: number;
    /** @default 48: more public IPv6 addresses than a /48 (one site) is a large public range */
    largestPublicPrefixV6: number;
}

/** The config properties every rule that judges CIDRs takes, with their defaults. */
export const PUBLIC_RANGE_CONFIG = {
    largestPublicPrefixV4: { type: "integer" as const, default: 24, description: "Sources covering more public IPv4 addresses than one block of this prefix length are a large public range." },
    largestPublicPrefixV6: { type: "integer" as const, default: 48, description: "Sources covering more public IPv6 addresses than one block of this prefix length are a large public range." },
};

/**
 * Describes how much of the internet a set of source blocks opens when that is more than the limits allow,
 * or `undefined` when it is not a large public range. Malformed blocks are ignored here (the provider
 * refuses them).
 */
export function largePublicRange(blocks: readonly string[], limits: PublicRangeLimits, except: readonly string[] = []): string | undefined {
    const { v4, v6 } = publicAddressCount(blocks, except);
    const problems: string[] = [];
    if (v4 > 1n << BigInt(32 - limits.largestPublicPrefixV4)) {
        problems.push(`${v4} public IPv4 addresses`);
    }
    if (v6 > 1n << BigInt(128 - limits.largestPublicPrefixV6)) {
        problems.push(`2^${v6.toString(2).length - 1}+ public IPv6 addresses`);
    }
    return problems.length === 0 ? undefined : `${blocks.join(", ")} (${problems.join(" and ")})`;
}
