import { sleep } from "./localDeployment";

/** One write attempt as the load generator saw it. */
export interface WriteEvent {
    /** Milliseconds since the load started, when the attempt began. */
    startMs: number;
    /** How long the attempt took. */
    latencyMs: number;
    key: string;
    /** Whether the write succeeded. */
    ok: boolean;
    /** Whether a replica acknowledged it (`WAIT` returned at least 1). */
    acked: boolean;
}

/** Writes one key and reports whether it succeeded and whether a replica acknowledged it. */
export type WriteFn = (key: string, value: string) => Promise<{ acked: boolean }>;

/**
 * A steady write load: one write at a time, back to back (with `pauseMs` between), each key unique, so every
 * acknowledged write can be checked afterwards.
 */
export class WriteLoad {
    readonly events: WriteEvent[] = [];
    private running = false;
    private loop: Promise<void> | undefined;
    private readonly startedAt = Date.now();
    private sequence = 0;

    /**
     * @param write how to write one key
     * @param keyFor the key of the n-th write (cluster loads choose keys per shard)
     * @param pauseMs pause between writes
     * @param timeoutMs how long one write may take before it counts as failed (clients may queue a command
     *   while they look for the primary, and never answer)
     */
    constructor(
        private readonly write: WriteFn,
        private readonly keyFor: (n: number) => string,
        private readonly pauseMs = 5,
        private readonly timeoutMs = 1000,
    ) {}

    /** Milliseconds since the load was created. */
    now(): number {
        return Date.now() - this.startedAt;
    }

    /** Starts writing. */
    start(): void {
        this.running = true;
        this.loop = (async () => {
            while (this.running) {
                const n = this.sequence++;
                const key = this.keyFor(n);
                const startMs = this.now();
                try {
                    const { acked } = await withTimeout(this.write(key, String(n)), this.timeoutMs);
                    this.events.push({ startMs, latencyMs: this.now() - startMs, key, ok: true, acked });
                } catch {
                    this.events.push({ startMs, latencyMs: this.now() - startMs, key, ok: false, acked: false });
                    await sleep(20);
                }
                await sleep(this.pauseMs);
            }
        })();
    }

    /** Stops writing and waits for the write in flight. */
    async stop(): Promise<void> {
        this.running = false;
        await this.loop;
    }

    /** The first successful write that started at or after `ms`. */
    firstSuccessAfter(ms: number, filter: (event: WriteEvent) => boolean = () => true): WriteEvent | undefined {
        return this.events.find((event) => event.startMs >= ms && event.ok && filter(event));
    }

    /** Waits until `count` writes that started at or after `ms` succeeded, or `timeoutMs` passed. */
    async waitForSuccesses(ms: number, count: number, timeoutMs: number, filter: (event: WriteEvent) => boolean = () => true): Promise<boolean> {
        const deadline = Date.now() + timeoutMs;
        while (Date.now() < deadline) {
            if (this.events.filter((event) => event.startMs >= ms && event.ok && filter(event)).length >= count) {
                return true;
            }
            await sleep(50);
        }
        return false;
    }

    /** Keys of every acknowledged write, with the value written. */
    acknowledged(): { key: string; value: string }[] {
        return this.events.filter((event) => event.acked).map((event) => ({ key: event.key, value: event.key.slice(event.key.lastIndexOf(":") + 1) }));
    }
}

/** Rejects when `promise` does not settle within `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    });
    promise.catch(() => undefined);
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Reads back acknowledged writes and returns the ones that are missing or wrong.
 *
 * @param read reads a batch of keys (all in one slot for cluster clients, or any keys otherwise)
 */
export async function lostWrites(acked: { key: string; value: string }[], read: (keys: string[]) => Promise<(string | null)[]>): Promise<string[]> {
    const lost: string[] = [];
    for (let i = 0; i < acked.length; i += 200) {
        const batch = acked.slice(i, i + 200);
        const values = await read(batch.map((entry) => entry.key));
        batch.forEach((entry, index) => {
            if (values[index] !== entry.value) {
                lost.push(entry.key);
            }
        });
    }
    return lost;
}
