/**
 * A small parser for `redis.conf`, `sentinel.conf` and ACL files, as the self-hosted platforms deliver them
 * (ConfigMap `data`, Docker `uploads`). Pure: text in, directives out.
 */

/** One directive: its lower-cased name and its arguments, with quotes removed. */
export interface Directive {
    name: string;
    args: string[];
    /** 1-based line number. */
    line: number;
}

/** What kind of file a text is, judged by its directives. */
export type ConfKind = "redis" | "sentinel" | "acl" | "other";

/** Splits one line into words the way Redis does: whitespace-separated, "double" and 'single' quotes group. */
export function splitArgs(line: string): string[] {
    const words: string[] = [];
    const pattern = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
    for (let match = pattern.exec(line); match !== null; match = pattern.exec(line)) {
        words.push(match[1] ?? match[2] ?? match[3]);
    }
    return words;
}

/** Parses config text into directives, skipping blank lines and comments. */
export function parseConf(content: string): Directive[] {
    return content.split(/\r?\n/).flatMap((raw, index) => {
        const line = raw.trim();
        if (line === "" || line.startsWith("#")) {
            return [];
        }
        const [name, ...args] = splitArgs(line);
        return name === undefined ? [] : [{ name: name.toLowerCase(), args, line: index + 1 }];
    });
}

const REDIS_DIRECTIVES = new Set(["port", "tls-port", "maxmemory", "appendonly", "save", "dir", "cluster-enabled", "replicaof", "bind", "aclfile"]);

/** What kind of file the directives come from. */
export function confKind(directives: readonly Directive[]): ConfKind {
    if (directives.some((directive) => directive.name === "sentinel" && directive.args[0]?.toLowerCase() === "monitor")) {
        return "sentinel";
    }
    if (directives.some((directive) => REDIS_DIRECTIVES.has(directive.name))) {
        return "redis";
    }
    if (directives.length > 0 && directives.every((directive) => directive.name === "user")) {
        return "acl";
    }
    return "other";
}

/** The arguments of the last occurrence of a directive (Redis applies the last one), if any. */
export function lastArgs(directives: readonly Directive[], name: string): string[] | undefined {
    const found = directives.filter((directive) => directive.name === name);
    return found.length === 0 ? undefined : found[found.length - 1].args;
}

/** The value of a single-argument directive, lower-cased. */
export function value(directives: readonly Directive[], name: string): string | undefined {
    return lastArgs(directives, name)?.[0]?.toLowerCase();
}

/** Parses a Redis memory size (`512mb`, `2gb`, `1048576`, `100k`) into bytes; `undefined` when invalid. */
export function memoryBytes(size: string | undefined): number | undefined {
    const match = /^([0-9]+)(b|k|kb|m|mb|g|gb)?$/i.exec(size ?? "");
    if (match === null) {
        return undefined;
    }
    const units: Record<string, number> = { b: 1, k: 1000, kb: 1024, m: 1e6, mb: 1024 ** 2, g: 1e9, gb: 1024 ** 3 };
    return Number(match[1]) * units[(match[2] ?? "b").toLowerCase()];
}

/** Whether the data node persists anything: AOF on, or at least one RDB save point. */
export function persists(directives: readonly Directive[]): boolean {
    if (value(directives, "appendonly") === "yes") {
        return true;
    }
    // Every `save` line adds save points, but `save ""` clears all of them.
    let points = 0;
    for (const directive of directives.filter((candidate) => candidate.name === "save")) {
        const args = directive.args.filter((arg) => arg !== "");
        points = args.length === 0 ? 0 : points + args.length / 2;
    }
    return points > 0;
}

/** A `sentinel monitor <master> <host> <port> <quorum>` line. */
export interface SentinelMonitor {
    master: string;
    quorum: number;
}

/** The masters a sentinel file monitors. */
export function sentinelMonitors(directives: readonly Directive[]): SentinelMonitor[] {
    return directives
        .filter((directive) => directive.name === "sentinel" && directive.args[0]?.toLowerCase() === "monitor" && directive.args.length >= 5)
        .map((directive) => ({ master: directive.args[1], quorum: Number(directive.args[4]) }));
}

/** The problems that keep a redis or sentinel file from being TLS-only; empty when it is. */
export function tlsOnlyProblems(directives: readonly Directive[], kind: "redis" | "sentinel"): string[] {
    const problems: string[] = [];
    const port = value(directives, "port");
    if (port !== "0") {
        problems.push(`port is ${port ?? "unset (6379)"}: set port 0 so no plain-text listener exists`);
    }
    const tlsPort = Number(value(directives, "tls-port") ?? "0");
    if (!(tlsPort > 0)) {
        problems.push("tls-port is unset: clients must connect over TLS");
    }
    if (value(directives, "tls-replication") !== "yes") {
        problems.push(kind === "sentinel" ? "tls-replication is not yes: the sentinel would talk to data nodes in plain text" : "tls-replication is not yes: replication would run in plain text");
    }
    if (kind === "redis" && value(directives, "cluster-enabled") === "yes" && value(directives, "tls-cluster") !== "yes") {
        problems.push("tls-cluster is not yes: the cluster bus would run in plain text");
    }
    return problems;
}

/** The `user default ...` rules that leave the default user enabled or password-less. */
export function enabledDefaultUsers(directives: readonly Directive[]): Directive[] {
    return directives.filter((directive) => {
        if (directive.name !== "user" || directive.args[0] !== "default") {
            return false;
        }
        // ACL rules apply left to right: the last on/off wins.
        const switches = directive.args.slice(1).filter((arg) => arg === "on" || arg === "off");
        return switches[switches.length - 1] !== "off";
    });
}

/** What a user's ACL rules add up to, as Redis applies them left to right. */
export interface AclState {
    enabled: boolean;
    /** `nopass`: any password is accepted. */
    nopass: boolean;
    /** At least one password (`>` or `#`) is set. */
    hasPassword: boolean;
    /** Every command, with nothing taken away after `+@all`/`allcommands`. */
    allCommands: boolean;
    /** Every key (`~*`, `%RW~*`, `allkeys`). */
    allKeys: boolean;
}

/** A fresh user: what `ACL SETUSER name` creates before any rule. */
export const NEW_ACL_USER: AclState = { enabled: false, nopass: false, hasPassword: false, allCommands: false, allKeys: false };

/** Applies ACL rules (the words after `user <name>`, or an ElastiCache access string) to a user's state. */
export function applyAclRules(rules: readonly string[], start: AclState = NEW_ACL_USER): AclState {
    const state = { ...start };
    for (const rule of rules) {
        const lower = rule.toLowerCase();
        if (lower === "on" || lower === "off") {
            state.enabled = lower === "on";
        } else if (lower === "nopass") {
            state.nopass = true;
            state.hasPassword = false;
        } else if (lower === "resetpass") {
            state.nopass = false;
            state.hasPassword = false;
        } else if (rule.startsWith(">") || rule.startsWith("#")) {
            state.hasPassword = true;
            state.nopass = false;
        } else if (lower === "+@all" || lower === "allcommands") {
            state.allCommands = true;
        } else if (rule.startsWith("-") || lower === "nocommands") {
            state.allCommands = false;
        } else if (lower === "allkeys" || /^(%[rw]+)?~\*$/i.test(rule)) {
            state.allKeys = true;
        } else if (lower === "resetkeys") {
            state.allKeys = false;
        } else if (lower === "reset") {
            Object.assign(state, NEW_ACL_USER);
        }
    }
    return state;
}

/** One user of a config or ACL file, with its rules applied in file order. */
export interface AclUser {
    name: string;
    /** The line of its last `user` directive. */
    line: number;
    state: AclState;
}

/** The users the `user` directives of a file define, in order of first appearance. */
export function aclUsers(directives: readonly Directive[]): AclUser[] {
    const users = new Map<string, AclUser>();
    for (const directive of directives.filter((candidate) => candidate.name === "user" && candidate.args.length > 0)) {
        const [name, ...rules] = directive.args;
        const previous = users.get(name);
        users.set(name, { name, line: directive.line, state: applyAclRules(rules, previous?.state) });
    }
    return [...users.values()];
}
