import { ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";

/**
 * Starts processes in their own process groups and guarantees they stop: on `stopAll`, when the Node
 * process exits for any reason, and on SIGINT, SIGTERM and SIGHUP. Killing the group (not just the pid) also
 * ends any child a script started.
 */

const liveSupervisors = new Set<ProcessSupervisor>();
let handlersInstalled = false;

function killEverythingNow(): void {
    for (const supervisor of liveSupervisors) {
        supervisor.killAllNow();
    }
}

function installHandlers(): void {
    if (handlersInstalled) {
        return;
    }
    handlersInstalled = true;
    process.on("exit", killEverythingNow);
    for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143], ["SIGHUP", 129]] as const) {
        process.on(signal, () => {
            killEverythingNow();
            process.exit(code);
        });
    }
}

/** One supervised process. */
export interface Supervised {
    name: string;
    child: ChildProcess;
    /** Resolves with the exit code (or signal name) when the process ends. */
    exited: Promise<number | string>;
}

/** Runs and tracks the processes of one harness. */
export class ProcessSupervisor {
    private readonly running = new Map<string, Supervised>();

    constructor() {
        installHandlers();
        liveSupervisors.add(this);
    }

    /**
     * Starts `sh script` with `env` (merged over a minimal PATH/HOME) in a new process group, appending its
     * output to `logFile`.
     *
     * @throws Error when a process with this name is still running
     */
    start(name: string, script: string, env: Record<string, string>, logFile: string, args: string[] = []): Supervised {
        if (this.isRunning(name)) {
            throw new Error(`process ${name} is already running`);
        }
        const fd = openSync(logFile, "a");
        const child = spawn("sh", [script, ...args], {
            detached: true,
            stdio: ["ignore", fd, fd],
            env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", LANG: "C", ...env },
        });
        closeSync(fd);
        const exited = new Promise<number | string>((resolve) => {
            child.once("exit", (code, signal) => {
                if (this.running.get(name)?.child === child) {
                    this.running.delete(name);
                }
                resolve(code ?? signal ?? "unknown");
            });
            child.once("error", () => resolve("spawn-error"));
        });
        const supervised = { name, child, exited };
        this.running.set(name, supervised);
        return supervised;
    }

    /** Whether a process with this name runs. */
    isRunning(name: string): boolean {
        return this.running.has(name);
    }

    /** The pid of a running process. */
    pid(name: string): number | undefined {
        return this.running.get(name)?.child.pid;
    }

    /** The names of the running processes. */
    names(): string[] {
        return [...this.running.keys()];
    }

    /** Sends a signal to a process's whole group. */
    signal(name: string, signal: NodeJS.Signals): void {
        const supervised = this.running.get(name);
        if (supervised?.child.pid !== undefined) {
            try {
                process.kill(-supervised.child.pid, signal);
            } catch {
                // Already gone.
            }
        }
    }

    /** Sends a signal and waits for the process to end; SIGKILLs it after `timeoutMs`. */
    async stop(name: string, signal: NodeJS.Signals = "SIGKILL", timeoutMs = 10000): Promise<void> {
        const supervised = this.running.get(name);
        if (!supervised) {
            return;
        }
        this.signal(name, signal);
        const timer = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), timeoutMs).unref());
        if ((await Promise.race([supervised.exited, timer])) === "timeout") {
            this.signal(name, "SIGKILL");
            await supervised.exited;
        }
    }

    /** Stops every process: SIGTERM first when graceful, SIGKILL otherwise or after the timeout. */
    async stopAll(graceful = false): Promise<void> {
        await Promise.all(this.names().map((name) => this.stop(name, graceful ? "SIGTERM" : "SIGKILL")));
    }

    /** Synchronously SIGKILLs every process group; used from exit and signal handlers. */
    killAllNow(): void {
        for (const name of this.names()) {
            this.signal(name, "SIGKILL");
        }
    }

    /** Stops everything and forgets this supervisor. */
    async dispose(): Promise<void> {
        await this.stopAll(false);
        liveSupervisors.delete(this);
    }
}
