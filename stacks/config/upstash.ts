import { z } from "zod";
import { UPSTASH_REGIONS } from "../../components/upstash/regions";
import type { CrossFieldProblem, ParsedStackConfig } from "./schema";
import { cidr, ipAddress } from "./sections";

/** `redis:upstash`: an Upstash global database. */
export const upstashSchema = z.strictObject({
    region: z.string().default("global"),
    primaryRegion: z.enum(UPSTASH_REGIONS),
    readRegions: z.array(z.enum(UPSTASH_REGIONS)).max(UPSTASH_REGIONS.length - 1).default([]),
    databaseName: z
        .string()
        .regex(/^[a-zA-Z0-9][a-zA-Z0-9_-]{0,59}$/, { error: "must be 1 to 60 of letters, digits, '_' and '-', starting with a letter or digit" })
        .optional(),
    budgetUsd: z.number().int().min(1).max(100000).default(20),
    autoScale: z.boolean().default(false),
    eviction: z.boolean().optional(),
    allowedIps: z.array(z.union([ipAddress, cidr])).max(100).default([]),
    allowAllIps: z.boolean().default(false),
    prodPack: z.boolean().optional(),
    email: z.email({ error: "must be the e-mail address of the Upstash account" }),
});

/** The `redis:upstash` section after parsing. */
export type UpstashSection = z.output<typeof upstashSchema>;

/**
 * The problems of the `redis:upstash` section that involve more than one key, or other sections Upstash
 * cannot honour. Paths start at the namespace root.
 */
export function upstashProblems(upstash: UpstashSection, config: ParsedStackConfig): CrossFieldProblem[] {
    const problems: CrossFieldProblem[] = [];
    const add = (path: (string | number)[], message: string) => problems.push({ path: ["upstash", ...path], message });

    if (upstash.region !== "global") {
        add(["region"], 'must be "global": Upstash creates only global databases; put the region in upstash.primaryRegion and the others in upstash.readRegions');
    }
    if (upstash.readRegions.includes(upstash.primaryRegion)) {
        add(["readRegions"], `must not include the primary region (${upstash.primaryRegion}): it already holds the primary`);
    }
    if (new Set(upstash.readRegions).size !== upstash.readRegions.length) {
        add(["readRegions"], "lists a region twice");
    }
    upstash.allowedIps.forEach((entry, index) => {
        if (entry.endsWith("/0")) {
            add(["allowedIps", index], "must not admit the whole internet: set upstash.allowAllIps: true to say so explicitly, or list the application's addresses");
        }
    });
    if (upstash.allowAllIps && upstash.allowedIps.length > 0) {
        add(["allowAllIps"], "cannot be true while upstash.allowedIps lists addresses: choose one");
    }
    if (config.environment === "prod" && !upstash.allowAllIps && upstash.allowedIps.length === 0) {
        add(["allowedIps"], "must list the application's addresses in a prod stack (an empty list admits every address), or set upstash.allowAllIps: true to accept that");
    }
    if (upstash.eviction === true && (config.profile === "queue" || config.profile === "durable")) {
        add(["eviction"], `cannot be true with profile "${config.profile}": its data must never be evicted`);
    }
    if (upstash.eviction !== undefined && config.memory.evictionPolicy !== undefined) {
        problems.push({ path: ["memory", "evictionPolicy"], message: "cannot be set together with upstash.eviction: Upstash only turns eviction on or off; keep one of them" });
    }
    if (config.acl.users.length !== 1) {
        problems.push({
            path: ["acl", "users"],
            message: "must hold exactly one user with backend \"upstash\": an Upstash database has one password for everybody",
        });
    } else if (config.acl.users[0].role === "readonly") {
        problems.push({
            path: ["acl", "users", 0, "role"],
            message: 'cannot be "readonly" with backend "upstash": the database password grants every command',
        });
    }
    config.acl.users.forEach((user, index) => {
        // An empty channel list is the default of a user entry; a pattern would be a restriction Upstash ignores.
        for (const key of ["keys", "channels"] as const) {
            if (user[key].some((pattern) => pattern !== "*")) {
                problems.push({ path: ["acl", "users", index, key], message: `must be ["*"] with backend "upstash": the database password grants every key and channel` });
            }
        }
    });
    if (config.memory.maxmemory !== undefined) {
        problems.push({ path: ["memory", "maxmemory"], message: 'does not apply to backend "upstash": the plan and upstash.budgetUsd decide the size' });
    }
    if (config.persistence.mode !== undefined || config.persistence.appendfsync !== undefined) {
        problems.push({
            path: ["persistence", config.persistence.mode !== undefined ? "mode" : "appendfsync"],
            message: 'does not apply to backend "upstash": Upstash persists every write itself',
        });
    }
    if (config.tls.mtls) {
        problems.push({ path: ["tls", "mtls"], message: 'cannot be true with backend "upstash": Upstash does not verify client certificates' });
    }
    return problems;
}
