/**
 * The AWS regions an Upstash global database can use as primary or read region, as the Upstash provider
 * documents them (v0.5.0).
 */
export const UPSTASH_REGIONS = ["us-east-1", "us-west-1", "us-west-2", "eu-central-1", "eu-west-1", "sa-east-1", "ap-southeast-1", "ap-southeast-2"] as const;

/** A region of an Upstash global database. */
export type UpstashRegion = (typeof UPSTASH_REGIONS)[number];
