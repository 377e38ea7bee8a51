import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { connect } from "node:tls";
import type { Address } from "./admin";

/**
 * Certificates for rotation scenarios, made with the openssl CLI like the harness's own: a renewed server
 * certificate from the same CA, or certificates from a new CA.
 */

/** A certificate and its key, as files. */
export interface CertificateFiles {
    certFile: string;
    keyFile: string;
}

function openssl(args: string[], cwd: string): void {
    execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
}

/**
 * Issues a certificate signed by the CA in `ca`, valid for two days, into `dir`.
 *
 * @param usage `server` certificates cover `hosts` and also serve as client certificates (nodes present them
 *   to peers); `client` certificates only authenticate clients
 */
export function issueCertificate(ca: { caFile: string; caKeyFile: string }, dir: string, name: string, usage: "server" | "client", hosts: readonly string[] = ["localhost", "127.0.0.1"]): CertificateFiles {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-out", `${name}.key`], dir);
    openssl(["req", "-new", "-key", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=redis-day2-${name}`], dir);
    const san = hosts.map((host) => (/^[0-9.]+$/.test(host) || host.includes(":") ? `IP:${host}` : `DNS:${host}`)).join(",");
    const extensions =
        usage === "server"
            ? `subjectAltName=${san}\nextendedKeyUsage=serverAuth,clientAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n`
            : "extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n";
    writeFileSync(path.join(dir, `${name}.ext`), extensions);
    openssl(["x509", "-req", "-in", `${name}.csr`, "-CA", ca.caFile, "-CAkey", ca.caKeyFile, "-set_serial", `0x${randomBytes(8).toString("hex")}`,
        "-days", "2", "-out", `${name}.crt`, "-extfile", `${name}.ext`], dir);
    return { certFile: path.join(dir, `${name}.crt`), keyFile: path.join(dir, `${name}.key`) };
}

/** The certificate a TLS port presents, verified against `ca`: its issuer's common name and its serial number. */
export function servedCertificate(address: Address, ca: Buffer): Promise<{ issuer: string; serial: string }> {
    return new Promise((resolve, reject) => {
        const socket = connect({ host: address.host, port: address.port, ca, servername: address.host === "127.0.0.1" ? undefined : address.host, timeout: 5000 }, () => {
            const certificate = socket.getPeerCertificate();
            socket.destroy();
            resolve({ issuer: String(certificate.issuer?.CN ?? ""), serial: certificate.serialNumber });
        });
        socket.once("error", (error) => {
            socket.destroy();
            reject(error);
        });
        socket.once("timeout", () => {
            socket.destroy();
            reject(new Error(`no TLS handshake with ${address.host}:${address.port}`));
        });
    });
}
