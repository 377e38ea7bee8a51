import { z } from "zod";
import { cidr, ipAddress } from "./sections";

/** `redis:upstash`: an Upstash global database. Its component arrives with the managed-backend work. */
export const upstashSchema = z.strictObject({
    primaryRegion: z.string().regex(/^[a-z]{2}-[a-z]+-[0-9]$/, { error: "must be an AWS-style region such as us-east-1" }),
    readRegions: z.array(z.string().regex(/^[a-z]{2}-[a-z]+-[0-9]$/, { error: "must be an AWS-style region such as eu-west-1" })).default([]),
    budgetUsd: z.number().int().min(1).max(100000).default(20),
    allowedIps: z.array(z.union([ipAddress, cidr])).default([]),
    prodPack: z.boolean().default(false),
    email: z.email({ error: "must be the e-mail address of the Upstash account" }),
});
