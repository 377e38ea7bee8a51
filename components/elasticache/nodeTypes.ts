/** Node-type facts ElastiCache enforces. Pure: no Pulumi. */

/** Whether a node type has the local SSD data tiering needs (the r6gd family). */
export function supportsDataTiering(nodeType: string): boolean {
    return /^cache\.r6gd\./.test(nodeType);
}
