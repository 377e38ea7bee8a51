import type { NodePaths } from "./layout";

/** What decides where a node or sentinel listens and how its TLS listener is set up. */
export interface ListenerInput {
    /** The port the process listens on. */
    port: number;
    /** Addresses to listen on. @default ["*", "-::*"] (every IPv4 and, where available, IPv6 address) */
    bind?: readonly string[];
    paths: Pick<NodePaths, "tls">;
    tls: { enabled: boolean; mtls: boolean };
    /** Extra TLS directives for this kind of process (`tls-cluster`, cipher preference). */
    extraTls?: readonly string[];
}

/**
 * The listener directives data nodes and sentinels share: bind, protected mode, and either TLS only (`port 0`
 * closes the plaintext port; replication presents the node's certificate) or a plain port.
 */
export function listenerLines(input: ListenerInput): string[] {
    const lines = [`bind ${(input.bind ?? ["*", "-::*"]).join(" ")}`, "protected-mode yes"];
    if (!input.tls.enabled) {
        return [...lines, `port ${input.port}`];
    }
    return [
        ...lines,
        "port 0",
        `tls-port ${input.port}`,
        `tls-cert-file ${input.paths.tls.certFile}`,
        `tls-key-file ${input.paths.tls.keyFile}`,
        `tls-ca-cert-file ${input.paths.tls.caFile}`,
        `tls-auth-clients ${input.tls.mtls ? "yes" : "no"}`,
        "tls-replication yes",
        ...(input.extraTls ?? []),
    ];
}
