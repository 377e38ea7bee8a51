/**
 * Cluster key slots, as Redis computes them: CRC16 (XMODEM) of the key, or of its `{hash tag}`, mod 16384.
 * Loads use it to pick one key prefix per shard.
 */

function crc16(data: Buffer): number {
    let crc = 0;
    for (const byte of data) {
        crc ^= byte << 8;
        for (let bit = 0; bit < 8; bit++) {
            crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
        }
    }
    return crc;
}

/** The cluster slot of a key. */
export function keySlot(key: string): number {
    const open = key.indexOf("{");
    if (open !== -1) {
        const close = key.indexOf("}", open + 1);
        if (close > open + 1) {
            return crc16(Buffer.from(key.slice(open + 1, close))) % 16384;
        }
    }
    return crc16(Buffer.from(key)) % 16384;
}

/** For each slot range, a short hash tag whose slot falls in it. */
export function hashTagsFor(ranges: readonly [number, number][]): string[] {
    return ranges.map(([first, last]) => {
        for (let n = 0; n < 100000; n++) {
            const tag = `s${n}`;
            const slot = keySlot(`{${tag}}`);
            if (slot >= first && slot <= last) {
                return tag;
            }
        }
        throw new Error(`no hash tag found for slots ${first}-${last}`);
    });
}
