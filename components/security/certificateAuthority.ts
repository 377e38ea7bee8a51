import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import {
    CA_ALLOWED_USES,
    CLIENT_ALLOWED_USES,
    daysToHours,
    SERVER_ALLOWED_USES,
    ServerCertificateSpec,
    serverSubjectAltNames,
    validateCertificateArgs,
} from "./certificateNames";

/** The key algorithms a {@link CertificateAuthority} can use. ECDSA P-256 handshakes are cheaper than RSA. */
export type KeyAlgorithm = "ECDSA" | "RSA";

/** Arguments of {@link CertificateAuthority}. */
export interface CertificateAuthorityArgs {
    /** One server certificate per node, with every name and address it is reached by. */
    servers: ServerCertificateSpec[];
    /** Names of client certificates to issue for mTLS. @default [] */
    clients?: string[];
    /** Adds `localhost`, `127.0.0.1` and `::1` to every server certificate (port-forwards, local Docker). @default false */
    includeLocalhost?: boolean;
    /** The key algorithm of every key. @default "ECDSA" (curve P-256); "RSA" uses 2048-bit keys */
    keyAlgorithm?: KeyAlgorithm;
    /** Validity of server and client certificates, in days. @default 365 */
    validityDays?: number;
    /** Days before expiry at which `pulumi up` renews a certificate (and the CA). @default 30 */
    earlyRenewalDays?: number;
    /** Validity of the CA certificate, in days. @default 3650 */
    caValidityDays?: number;
    /** The CA's subject common name. @default "<name> Redis CA" */
    commonName?: string;
    /** The organization in every subject. @default "redis-platform" */
    organization?: string;
}

/** A certificate and its private key. The key is always a Pulumi secret. */
export interface IssuedCertificate {
    certPem: pulumi.Output<string>;
    privateKeyPem: pulumi.Output<string>;
}

/**
 * A private certificate authority for one Redis deployment: a CA key and self-signed CA certificate, a
 * server certificate per node, and client certificates for mTLS. Certificates inside their early-renewal
 * window are replaced on the next `pulumi up`. Private keys exist only as secrets.
 */
export class CertificateAuthority extends pulumi.ComponentResource {
    /** The CA certificate clients and nodes trust. Public. */
    public readonly caCertPem: pulumi.Output<string>;
    /** Server certificates by node name. */
    public readonly serverCertificates: Record<string, IssuedCertificate>;
    /** Client certificates by name. */
    public readonly clientCertificates: Record<string, IssuedCertificate>;

    /**
     * @param name the logical name; children are named after it
     * @param args the certificates to issue
     * @param opts resource options
     * @throws Error before registering anything when the arguments are inconsistent
     */
    constructor(name: string, args: CertificateAuthorityArgs, opts?: pulumi.ComponentResourceOptions) {
        const validityDays = args.validityDays ?? 365;
        const earlyRenewalDays = args.earlyRenewalDays ?? 30;
        const caValidityDays = args.caValidityDays ?? 3650;
        validateCertificateArgs({ servers: args.servers, clients: args.clients, validityDays, earlyRenewalDays, caValidityDays });
        super("redisplatform:security:CertificateAuthority", name, {}, opts);

        const algorithm = args.keyAlgorithm ?? "ECDSA";
        const organization = args.organization ?? "redis-platform";
        const newKey = (keyName: string) =>
            new tls.PrivateKey(
                keyName,
                algorithm === "ECDSA" ? { algorithm: "ECDSA", ecdsaCurve: "P256" } : { algorithm: "RSA", rsaBits: 2048 },
                { parent: this },
            );

        const caKey = newKey(`${name}-ca-key`);
        const caCert = new tls.SelfSignedCert(
            `${name}-ca-cert`,
            {
                privateKeyPem: caKey.privateKeyPem,
                subject: { commonName: args.commonName ?? `${name} Redis CA`, organization },
                isCaCertificate: true,
                validityPeriodHours: daysToHours(caValidityDays),
                earlyRenewalHours: daysToHours(earlyRenewalDays),
                allowedUses: CA_ALLOWED_USES,
            },
            { parent: this },
        );
        this.caCertPem = caCert.certPem;

        const issue = (commonName: string, sans: { dnsNames: string[]; ipAddresses: string[] }, allowedUses: string[]): IssuedCertificate => {
            const certName = `${name}-${commonName}`;
            const key = newKey(`${certName}-key`);
            const request = new tls.CertRequest(
                `${certName}-csr`,
                { privateKeyPem: key.privateKeyPem, subject: { commonName, organization }, ...sans },
                { parent: this },
            );
            const cert = new tls.LocallySignedCert(
                `${certName}-cert`,
                {
                    certRequestPem: request.certRequestPem,
                    caPrivateKeyPem: caKey.privateKeyPem,
                    caCertPem: caCert.certPem,
                    validityPeriodHours: daysToHours(validityDays),
                    earlyRenewalHours: daysToHours(earlyRenewalDays),
                    allowedUses,
                },
                { parent: this },
            );
            return { certPem: cert.certPem, privateKeyPem: pulumi.secret(key.privateKeyPem) };
        };

        this.serverCertificates = Object.fromEntries(
            args.servers.map((server) => [
                server.name,
                issue(server.name, serverSubjectAltNames(server, args.includeLocalhost ?? false), SERVER_ALLOWED_USES),
            ]),
        );
        this.clientCertificates = Object.fromEntries(
            (args.clients ?? []).map((client) => [client, issue(client, { dnsNames: [], ipAddresses: [] }, CLIENT_ALLOWED_USES)]),
        );

        this.registerOutputs({ caCertPem: this.caCertPem });
    }
}
