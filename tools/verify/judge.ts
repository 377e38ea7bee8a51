import type { CheckResult, CheckStatus } from "./report";
import { formatMs, LatencySummary } from "./latency";

/**
 * The pure decisions of `verify`: each turns observed values into a pass, warn or fail with a one-line detail.
 */

const DAY_MS = 86_400_000;

/** Judges a server certificate's remaining validity. Expired fails; fewer than `minDays` days warns. */
export function judgeCertificate(validTo: Date, now: Date, minDays: number): { status: CheckStatus; days: number } {
    const days = Math.floor((validTo.getTime() - now.getTime()) / DAY_MS);
    if (validTo.getTime() <= now.getTime()) {
        return { status: "fail", days };
    }
    return { status: days < minDays ? "warn" : "pass", days };
}

/** What one sentinel reports about the monitored primary (`SENTINEL MASTER`). */
export interface SentinelView {
    sentinel: string;
    primary: string;
    flags: string;
    otherSentinels: number;
    replicas: number;
    quorum: number;
}

/**
 * Judges the sentinels: each must see the primary up (flags exactly `master`), know every other sentinel and
 * agree on which node is primary.
 */
export function judgeSentinels(views: readonly SentinelView[], sentinelCount: number): CheckResult[] {
    const primaries = new Set(views.map((view) => view.primary));
    return views.map((view): CheckResult => {
        const problems: string[] = [];
        if (view.flags !== "master") {
            problems.push(`primary flags "${view.flags}"`);
        }
        if (view.otherSentinels !== sentinelCount - 1) {
            problems.push(`knows ${view.otherSentinels} other sentinels, expected ${sentinelCount - 1}`);
        }
        if (primaries.size > 1) {
            problems.push(`sentinels disagree on the primary (${[...primaries].join(", ")})`);
        }
        return {
            check: "sentinel",
            target: view.sentinel,
            status: problems.length === 0 ? "pass" : "fail",
            detail: problems.length === 0 ? `primary ${view.primary}, ${view.replicas} replicas, ${view.otherSentinels + 1} sentinels, quorum ${view.quorum}` : problems.join("; "),
        };
    });
}

/** Judges `CLUSTER INFO`: state ok and all 16384 slots assigned and ok. */
export function judgeClusterInfo(fields: Readonly<Record<string, string>>): { status: CheckStatus; detail: string } {
    const problems: string[] = [];
    if (fields.cluster_state !== "ok") {
        problems.push(`cluster_state ${fields.cluster_state ?? "missing"}`);
    }
    for (const key of ["cluster_slots_assigned", "cluster_slots_ok"]) {
        if (fields[key] !== "16384") {
            problems.push(`${key} ${fields[key] ?? "missing"}`);
        }
    }
    for (const key of ["cluster_slots_pfail", "cluster_slots_fail"]) {
        if (fields[key] !== undefined && fields[key] !== "0") {
            problems.push(`${key} ${fields[key]}`);
        }
    }
    return problems.length === 0
        ? { status: "pass", detail: `state ok, 16384 slots ok, ${fields.cluster_size ?? "?"} shards, ${fields.cluster_known_nodes ?? "?"} nodes` }
        : { status: "fail", detail: problems.join("; ") };
}

/** Judges a replica's link to its primary from INFO replication fields. */
export function judgeReplicaLink(fields: Readonly<Record<string, string>>): { status: CheckStatus; detail: string } {
    if (fields.role !== "slave") {
        return { status: "fail", detail: `role ${fields.role ?? "unknown"}, expected a replica` };
    }
    if (fields.master_link_status !== "up") {
        return { status: "fail", detail: `link to ${fields.master_host}:${fields.master_port} is ${fields.master_link_status ?? "unknown"}` };
    }
    return { status: "pass", detail: `replica of ${fields.master_host}:${fields.master_port}, link up, last io ${fields.master_last_io_seconds_ago ?? "?"} s ago` };
}

/** The settings `verify` reads with CONFIG GET. */
export interface NodeSettings {
    appendonly?: string;
    appendfsync?: string;
    save?: string;
    maxmemory?: string;
    "maxmemory-policy"?: string;
}

/** Describes persistence: `aof everysec`, `aof everysec + rdb`, `rdb (3600 1 ...)` or `none`. */
export function describePersistence(settings: NodeSettings): string {
    const aof = settings.appendonly === "yes" ? `aof ${settings.appendfsync ?? "?"}` : undefined;
    const rdb = settings.save !== undefined && settings.save.trim() !== "" ? `rdb (${settings.save.trim()})` : undefined;
    return [aof, rdb].filter((part) => part !== undefined).join(" + ") || "none";
}

/**
 * Judges persistence: a `prod` environment without any persistence warns (a cache may choose that, but a
 * restart then empties it); `appendfsync no` warns everywhere (the OS decides when data reaches the disk).
 */
export function judgePersistence(settings: NodeSettings, environment: string | undefined): { status: CheckStatus; detail: string } {
    const described = describePersistence(settings);
    if (described === "none") {
        return { status: environment === "prod" ? "warn" : "pass", detail: "none: a restart empties the node" };
    }
    if (settings.appendonly === "yes" && settings.appendfsync === "no") {
        return { status: "warn", detail: `${described}: the OS decides when writes reach disk` };
    }
    return { status: "pass", detail: described };
}

/** Judges memory: `maxmemory 0` (unbounded) fails, since the kernel would kill the node instead of Redis evicting. */
export function judgeMaxmemory(settings: NodeSettings): { status: CheckStatus; detail: string } {
    const bytes = Number(settings.maxmemory);
    if (!Number.isFinite(bytes) || bytes <= 0) {
        return { status: "fail", detail: `maxmemory ${settings.maxmemory ?? "unknown"}: unbounded` };
    }
    return { status: "pass", detail: `maxmemory ${(bytes / 1048576).toFixed(0)} MiB, policy ${settings["maxmemory-policy"] ?? "?"}` };
}

/** Judges round-trip latency against a p99 ceiling. */
export function judgeLatency(summary: LatencySummary, maxP99Ms: number): { status: CheckStatus; detail: string } {
    const detail = `p50 ${formatMs(summary.p50)}, p99 ${formatMs(summary.p99)}, max ${formatMs(summary.max)} over ${summary.count} PINGs`;
    return { status: summary.p99 <= maxP99Ms ? "pass" : "fail", detail: summary.p99 <= maxP99Ms ? detail : `${detail}: p99 above ${maxP99Ms} ms` };
}
