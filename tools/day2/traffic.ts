import { withTimeout } from "../harness/load";
import { sleep } from "../harness/localDeployment";

/** How the load talks to Redis; swapping them mid-run is how a client moves to a new password. */
export interface TrafficOps {
    /** Writes `key` and says whether a replica acknowledged it (`WAIT 1`). */
    write(key: string, value: string): Promise<{ acked: boolean }>;
    /** Reads `key` back. */
    read(key: string): Promise<string | null>;
}

/**
 * A continuous client load: write a unique key, read it back, again, one pair at a time. Every command that
 * errors, times out or reads back a wrong value counts as failed; every write a replica acknowledged is kept
 * so it can be checked afterwards. Clients are expected to reconnect and resend on their own, as an
 * application's would.
 */
export class Traffic {
    /** Commands that failed. */
    failed = 0;
    /** Commands that succeeded. */
    succeeded = 0;
    /** Writes a replica acknowledged, to read back at the end. */
    readonly acked: { key: string; value: string }[] = [];
    /** The first distinct error messages (client-side messages such as WRONGPASS; never a secret). */
    readonly errors: string[] = [];
    private ops: TrafficOps;
    private running = false;
    private loop: Promise<void> | undefined;
    private sequence = 0;

    /**
     * @param keyPrefix every key starts with it (and must match the user's key patterns)
     * @param ops the client to start with
     * @param timeoutMs how long a command may take before it counts as failed; generous, since this is not a
     *   latency test and the machine may be busy
     */
    constructor(
        private readonly keyPrefix: string,
        ops: TrafficOps,
        private readonly timeoutMs = 10000,
    ) {
        this.ops = ops;
    }

    /** Sends the next commands through `ops` (the command in flight finishes on the old ones). */
    use(ops: TrafficOps): void {
        this.ops = ops;
    }

    /** Starts the load. */
    start(): void {
        this.running = true;
        this.loop = (async () => {
            while (this.running) {
                await this.once();
                await sleep(5);
            }
        })();
    }

    private record(error: unknown): void {
        this.failed++;
        const message = error instanceof Error ? error.message : String(error);
        if (this.errors.length < 5 && !this.errors.includes(message)) {
            this.errors.push(message);
        }
    }

    private async once(): Promise<void> {
        const n = this.sequence++;
        const key = `${this.keyPrefix}${n}`;
        const value = `v${n}`;
        const ops = this.ops;
        try {
            const { acked } = await withTimeout(ops.write(key, value), this.timeoutMs);
            this.succeeded++;
            if (acked) {
                this.acked.push({ key, value });
            }
        } catch (error) {
            this.record(error);
            await sleep(50);
            return;
        }
        try {
            const read = await withTimeout(ops.read(key), this.timeoutMs);
            if (read === value) {
                this.succeeded++;
            } else {
                this.record(new Error(`read back ${JSON.stringify(read)} for ${key} right after writing it`));
            }
        } catch (error) {
            this.record(error);
        }
    }

    /** Waits until `count` more commands succeeded, or `timeoutMs` passed; says which. */
    async waitForSuccesses(count: number, timeoutMs = 60000): Promise<boolean> {
        const target = this.succeeded + count;
        const deadline = Date.now() + timeoutMs;
        while (this.succeeded < target) {
            if (Date.now() > deadline) {
                return false;
            }
            await sleep(50);
        }
        return true;
    }

    /** Stops the load after the pair in flight. */
    async stop(): Promise<void> {
        this.running = false;
        await this.loop;
    }

    /** Commands sent so far. */
    get commands(): number {
        return this.failed + this.succeeded;
    }
}
