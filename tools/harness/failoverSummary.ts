import { percentile } from "../verify/latency";
import type { WriteEvent } from "./load";

/** What `npm run drill -- --scenario failover` reports, on local processes and on a Docker engine alike. */
export interface FailoverSummary {
    scenario: "failover";
    topology: string;
    rounds: number;
    failover: string;
    rto_ms: { p50: number; max: number; rounds: number[] };
    acked_writes: { sent: number; lost: number };
    writes: { attempted: number; failed: number; unacknowledged: number };
    failovers: number;
}

/** The drill's summary from its measurements. Pure. */
export function failoverSummary(input: { topology: string; rounds: number; failover: string; rto: number[]; acked: number; lost: number; events: readonly WriteEvent[]; failovers: number }): FailoverSummary {
    const attempted = input.events.length;
    const failed = input.events.filter((event) => !event.ok).length;
    return {
        scenario: "failover",
        topology: input.topology,
        rounds: input.rounds,
        failover: input.failover,
        rto_ms: { p50: percentile(input.rto, 50), max: Math.max(...input.rto), rounds: input.rto },
        acked_writes: { sent: input.acked, lost: input.lost },
        writes: { attempted, failed, unacknowledged: attempted - failed - input.acked },
        failovers: input.failovers,
    };
}
