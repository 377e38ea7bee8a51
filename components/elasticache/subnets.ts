/** Address planning for the example VPC. Pure: no Pulumi. */

function toNumber(address: string): number {
    return address.split(".").reduce((total, octet) => total * 256 + Number(octet), 0);
}

function toAddress(value: number): string {
    return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

/**
 * The first `count` subnets of `cidrBlock`, each `newBits` longer in prefix: `10.42.0.0/16` with 3 and 4
 * gives `10.42.0.0/20`, `10.42.16.0/20`, `10.42.32.0/20`.
 *
 * @throws Error when the block cannot hold that many subnets of that size
 */
export function subnetCidrs(cidrBlock: string, count: number, newBits: number): string[] {
    const [address, prefixText] = cidrBlock.split("/");
    const prefix = Number(prefixText);
    const subnetPrefix = prefix + newBits;
    if (subnetPrefix > 28 || count > 2 ** newBits) {
        throw new Error(`subnetCidrs: ${cidrBlock} cannot hold ${count} subnets of /${subnetPrefix} (ElastiCache subnets need at most /28)`);
    }
    const base = toNumber(address) - (toNumber(address) % 2 ** (32 - prefix));
    return Array.from({ length: count }, (_, index) => `${toAddress(base + index * 2 ** (32 - subnetPrefix))}/${subnetPrefix}`);
}
