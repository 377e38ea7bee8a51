import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";

/** The TLS files of one harness run. */
export interface HarnessCerts {
    caFile: string;
    caKeyFile: string;
    serverCertFile: string;
    serverKeyFile: string;
    clientCertFile: string;
    clientKeyFile: string;
}

function openssl(args: string[], cwd: string): void {
    execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
}

function newKey(file: string, cwd: string): void {
    openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-out", file], cwd);
}

/**
 * Creates a CA with the openssl CLI, valid for two days, in `dir`.
 *
 * @returns the certificate and key paths
 */
export function generateCa(dir: string, commonName: string): { caFile: string; caKeyFile: string } {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    newKey("ca.key", dir);
    openssl(
        ["req", "-x509", "-new", "-key", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", `/CN=${commonName}`,
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
        dir,
    );
    return { caFile: path.join(dir, "ca.crt"), caKeyFile: path.join(dir, "ca.key") };
}

/** Signs a certificate for `name` with the CA in `dir`; `extensions` is an openssl extension section. */
function signCertificate(dir: string, name: string, commonName: string, extensions: string): void {
    newKey(`${name}.key`, dir);
    openssl(["req", "-new", "-key", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${commonName}`], dir);
    writeFileSync(path.join(dir, `${name}.ext`), extensions);
    const serial = `0x${Buffer.from(Array.from({ length: 8 }, () => Math.floor(Math.random() * 256))).toString("hex")}`;
    openssl(["x509", "-req", "-in", `${name}.csr`, "-CA", "ca.crt", "-CAkey", "ca.key", "-set_serial", serial, "-days", "2",
        "-out", `${name}.crt`, "-extfile", `${name}.ext`], dir);
}

/**
 * Generates the certificates of one run: a CA, a server certificate for `localhost` and `127.0.0.1` (also
 * usable as a client certificate, since nodes present it to peers), and a client certificate.
 */
export function generateHarnessCerts(dir: string, hosts: readonly string[] = ["localhost", "127.0.0.1"]): HarnessCerts {
    const { caFile, caKeyFile } = generateCa(dir, "redis-harness-ca");
    const san = hosts.map((host) => (/^[0-9.]+$/.test(host) || host.includes(":") ? `IP:${host}` : `DNS:${host}`)).join(",");
    signCertificate(dir, "server", "redis-harness-node", `subjectAltName=${san}\nextendedKeyUsage=serverAuth,clientAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n`);
    signCertificate(dir, "client", "redis-harness-client", "extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n");
    return {
        caFile,
        caKeyFile,
        serverCertFile: path.join(dir, "server.crt"),
        serverKeyFile: path.join(dir, "server.key"),
        clientCertFile: path.join(dir, "client.crt"),
        clientKeyFile: path.join(dir, "client.key"),
    };
}
