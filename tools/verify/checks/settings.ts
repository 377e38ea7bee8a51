import type { Credential, Endpoint } from "../../../components/connection";
import { judgeLatency, judgeMaxmemory, judgePersistence, NodeSettings } from "../judge";
import { summarizeLatency } from "../latency";
import { addressOf, messageOf, NodeAccess, pairs, withNode } from "../nodes";
import type { CheckResult } from "../report";

const SETTINGS = ["appendonly", "appendfsync", "save", "maxmemory", "maxmemory-policy"] as const;

/** Reads persistence and memory settings of every data node as admin, and checks they agree. */
export async function checkSettings(nodes: readonly Endpoint[], admin: Credential | undefined, environment: string | undefined, access: NodeAccess): Promise<CheckResult[]> {
    if (admin === undefined) {
        return [{ check: "settings", target: "-", status: "skip", detail: "no admin credential in the outputs" }];
    }
    const results: CheckResult[] = [];
    const seen = new Map<string, string[]>();
    for (const node of nodes) {
        try {
            const settings = pairs(await withNode(node, admin, access, (client) => client.call("CONFIG", "GET", ...SETTINGS))) as NodeSettings;
            const key = SETTINGS.map((name) => `${name}=${settings[name] ?? ""}`).join(" ");
            seen.set(key, [...(seen.get(key) ?? []), addressOf(node)]);
            if (seen.size === 1 && seen.get(key)?.length === 1) {
                results.push({ check: "persistence", target: addressOf(node), ...judgePersistence(settings, environment) });
                results.push({ check: "maxmemory", target: addressOf(node), ...judgeMaxmemory(settings) });
            }
        } catch (error) {
            results.push({ check: "settings", target: addressOf(node), status: /NOPERM|unknown command/i.test(messageOf(error)) ? "skip" : "fail", detail: messageOf(error) });
        }
    }
    if (seen.size > 1) {
        results.push({ check: "settings", target: "all data nodes", status: "fail", detail: `nodes differ: ${[...seen.values()].map((group) => group.join(",")).join(" vs ")}` });
    } else if (seen.size === 1) {
        results.push({ check: "settings", target: "all data nodes", status: "pass", detail: `the same on ${[...seen.values()][0].length} nodes` });
    }
    return results;
}

/** Sends `samples` PINGs one after another on one connection and reports p50 and p99. */
export async function checkLatency(primary: Endpoint, credential: Credential, user: string, samples: number, maxP99Ms: number, access: NodeAccess): Promise<CheckResult> {
    try {
        const timings = await withNode(primary, credential, access, async (client) => {
            const result: number[] = [];
            for (let i = 0; i < samples; i++) {
                const started = process.hrtime.bigint();
                await client.ping();
                result.push(Number(process.hrtime.bigint() - started) / 1e6);
            }
            return result;
        });
        return { check: "latency", target: `${user}@${addressOf(primary)}`, ...judgeLatency(summarizeLatency(timings), maxP99Ms) };
    } catch (error) {
        return { check: "latency", target: `${user}@${addressOf(primary)}`, status: "fail", detail: messageOf(error) };
    }
}
