/** Parses INFO text (`key:value` lines, `#` section headers) into fields. */
export function parseInfo(text: string): Record<string, string> {
    const fields: Record<string, string> = {};
    for (const line of text.split(/\r?\n/)) {
        const separator = line.indexOf(":");
        if (separator > 0 && !line.startsWith("#")) {
            fields[line.slice(0, separator)] = line.slice(separator + 1).trim();
        }
    }
    return fields;
}

/** What INFO replication says about a node. */
export interface ReplicationState {
    /** `primary` for `role:master`, `replica` for `role:slave`. */
    role: "primary" | "replica" | "unknown";
    /** A replica's link to its primary. */
    masterLinkStatus?: "up" | "down";
    /** Seconds since a replica last heard from its primary. */
    masterLastIoSecondsAgo?: number;
    /** Replicas connected to a primary. */
    connectedReplicas?: number;
    /** For a primary, the largest replication lag of its replicas in bytes of replication stream. */
    maxReplicaLagBytes?: number;
}

/** Reads the replication state from INFO replication fields. */
export function replicationState(fields: Readonly<Record<string, string>>): ReplicationState {
    const role = fields.role === "master" ? "primary" : fields.role === "slave" ? "replica" : "unknown";
    const state: ReplicationState = { role };
    if (role === "replica") {
        if (fields.master_link_status === "up" || fields.master_link_status === "down") {
            state.masterLinkStatus = fields.master_link_status;
        }
        const lastIo = Number(fields.master_last_io_seconds_ago);
        if (fields.master_last_io_seconds_ago !== undefined && Number.isFinite(lastIo)) {
            state.masterLastIoSecondsAgo = lastIo;
        }
    }
    if (role === "primary") {
        const connected = Number(fields.connected_slaves);
        if (Number.isFinite(connected)) {
            state.connectedReplicas = connected;
        }
        const primaryOffset = Number(fields.master_repl_offset);
        let maxLag: number | undefined;
        for (const [key, value] of Object.entries(fields)) {
            // slaveN:ip=...,port=...,state=online,offset=123,lag=0
            if (/^slave\d+$/.test(key)) {
                const offset = Number(/(?:^|,)offset=(\d+)/.exec(value)?.[1]);
                if (Number.isFinite(offset) && Number.isFinite(primaryOffset)) {
                    maxLag = Math.max(maxLag ?? 0, primaryOffset - offset);
                }
            }
        }
        if (maxLag !== undefined) {
            state.maxReplicaLagBytes = maxLag;
        }
    }
    return state;
}
