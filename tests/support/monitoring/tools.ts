import { execFile, execFileSync, spawnSync } from "node:child_process";

/** The Debian package that ships each monitoring tool the integration tests run. */
export const MONITORING_TOOL_PACKAGES = {
    promtool: "prometheus",
    amtool: "prometheus-alertmanager",
    "prometheus-alertmanager": "prometheus-alertmanager",
    "prometheus-redis-exporter": "prometheus-redis-exporter",
    "prometheus-pushgateway": "prometheus-pushgateway",
} as const;

/** A monitoring tool the tests run. */
export type MonitoringTool = keyof typeof MONITORING_TOOL_PACKAGES;

/**
 * Checks that a tool is installed. Tests call it instead of skipping, so a machine without the tool fails
 * with the package to install.
 *
 * @throws Error naming the tool and the Debian package that provides it
 */
export function requireTool(tool: MonitoringTool): void {
    const found = spawnSync("sh", ["-c", `command -v ${tool}`], { encoding: "utf8" });
    if (found.status !== 0) {
        const pkg = MONITORING_TOOL_PACKAGES[tool];
        throw new Error(`${tool} is not installed: it ships in the Debian package "${pkg}" (sudo apt-get install -y ${pkg})`);
    }
}

/** What a tool run printed. */
export interface ToolResult {
    status: number | null;
    output: string;
}

/** Runs a tool to completion with a time limit and returns its exit status and combined output. */
export function runTool(tool: MonitoringTool, args: readonly string[], cwd?: string): ToolResult {
    requireTool(tool);
    const result = spawnSync(tool, args, { cwd, encoding: "utf8", timeout: 60_000 });
    return { status: result.status, output: `${result.stdout ?? ""}${result.stderr ?? ""}` };
}

/** The version line of a tool, for test titles and failure messages. */
export function toolVersion(tool: MonitoringTool): string {
    requireTool(tool);
    return execFileSync(tool, ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).split("\n")[0];
}

/** Runs a tool asynchronously (so several can run at once) and resolves with its exit status and output. */
export function runToolAsync(tool: MonitoringTool, args: readonly string[]): Promise<ToolResult> {
    requireTool(tool);
    return new Promise((resolve) => {
        execFile(tool, args, { encoding: "utf8", timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
            const status = error === null ? 0 : typeof error.code === "number" ? error.code : null;
            resolve({ status, output: `${stdout}${stderr}` });
        });
    });
}
