import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { waitFor } from "../harness/localDeployment";
import { freePorts } from "../harness/ports";
import type { ProcessSupervisor } from "../harness/processes";

/**
 * A real `prometheus-pushgateway` (Debian package of the same name) on a free loopback port, for the
 * backup job to push its last-success metric to.
 */

/** A running Pushgateway. */
export interface LocalPushgateway {
    url: string;
    /** The Pushgateway's `/metrics` text. */
    metrics(): Promise<string>;
}

/** Starts a Pushgateway under `supervisor`, logging into `dir`, and waits until it answers. */
export async function startPushgateway(supervisor: ProcessSupervisor, dir: string): Promise<LocalPushgateway> {
    const [port] = await freePorts(1);
    const script = path.join(dir, "pushgateway.sh");
    writeFileSync(script, `exec prometheus-pushgateway --web.listen-address=127.0.0.1:${port}\n`, { mode: 0o700 });
    supervisor.start("pushgateway", script, {}, path.join(dir, "pushgateway.log"));
    const url = `http://127.0.0.1:${port}`;
    await waitFor("the Pushgateway answers", async () => (await fetch(`${url}/-/ready`)).ok, 15000);
    return {
        url,
        metrics: async () => (await fetch(`${url}/metrics`)).text(),
    };
}

/** The value of one series in a Prometheus text exposition, matched by name and exact labels. */
export function seriesValue(exposition: string, name: string, labels: Record<string, string>): number | undefined {
    for (const line of exposition.split("\n")) {
        const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line);
        if (!match || match[1] !== name) {
            continue;
        }
        const found: Record<string, string> = {};
        for (const pair of (match[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
            found[pair[1]] = pair[2];
        }
        if (Object.entries(labels).every(([key, value]) => found[key] === value)) {
            return Number(match[3]);
        }
    }
    return undefined;
}
