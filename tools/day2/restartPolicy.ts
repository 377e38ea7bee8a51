import type { LocalDeployment } from "../harness/localDeployment";

/**
 * What a container's restart policy does, for local processes: a watched node that exits is started again
 * with its start script. Scenarios use it where a sidecar shuts its process down on purpose (a sentinel
 * that must reload its TLS files).
 */
export class RestartPolicy {
    /** Restarts so far, by node. */
    readonly restarts = new Map<string, number>();
    private timer: NodeJS.Timeout | undefined;

    constructor(
        private readonly deployment: LocalDeployment,
        private readonly nodes: readonly string[],
        private readonly progress: (line: string) => void = () => undefined,
    ) {}

    /** Starts watching. */
    start(): void {
        this.timer = setInterval(() => {
            for (const name of this.nodes) {
                if (!this.deployment.supervisor.isRunning(name)) {
                    this.restarts.set(name, (this.restarts.get(name) ?? 0) + 1);
                    this.progress(`${name} exited: restarting it, as its container's restart policy would`);
                    this.deployment.startNode(name);
                }
            }
        }, 250);
    }

    /** Stops watching (before the run is torn down). */
    stop(): void {
        clearInterval(this.timer);
        this.timer = undefined;
    }
}
