import { connect, ConnectionOptions } from "node:tls";
import type { Endpoint } from "../../../components/connection";
import { judgeCertificate } from "../judge";
import { addressOf, messageOf } from "../nodes";
import type { CheckResult } from "../report";

/**
 * Completes a TLS handshake with one endpoint, verifying its certificate as clients do, and reports the
 * protocol and the days until the certificate expires.
 */
export async function checkTlsEndpoint(endpoint: Endpoint, tls: ConnectionOptions, minCertDays: number, timeoutMs: number): Promise<CheckResult> {
    const target = addressOf(endpoint);
    try {
        const { validTo, protocol } = await new Promise<{ validTo: Date; protocol: string }>((resolve, reject) => {
            const socket = connect({ ...tls, host: endpoint.host, port: endpoint.port, timeout: timeoutMs });
            socket.once("secureConnect", () => {
                const certificate = socket.getPeerCertificate();
                const protocol = socket.getProtocol() ?? "?";
                socket.end();
                resolve({ validTo: new Date(certificate.valid_to), protocol });
            });
            socket.once("timeout", () => {
                socket.destroy();
                reject(new Error(`no TLS handshake within ${timeoutMs} ms`));
            });
            socket.once("error", (error) => {
                socket.destroy();
                reject(error);
            });
        });
        const judged = judgeCertificate(validTo, new Date(), minCertDays);
        const expiry = judged.status === "fail" ? `certificate expired ${validTo.toISOString()}` : `certificate valid ${judged.days} more days (until ${validTo.toISOString().slice(0, 10)})`;
        return { check: "tls", target, status: judged.status, detail: `${protocol}, verified; ${expiry}${judged.status === "warn" ? `, under ${minCertDays} days` : ""}` };
    } catch (error) {
        return { check: "tls", target, status: "fail", detail: `handshake failed: ${messageOf(error)}` };
    }
}
