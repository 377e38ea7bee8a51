import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { caRolloverFiles } from "../redisconf/caBundle";
import {
    CA_ALLOWED_USES,
    caCommonName,
    caResourceNames,
    caRolloverPlan,
    CaRotation,
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
    /**
     * A CA rollover in progress, one phase per `pulumi up`: `trust-both` adds the CA of `generation` to the
     * trust bundle while the previous CA still signs; `serve-new` reissues every certificate from the new CA,
     * both still trusted; `retire-old` trusts and keeps only the new CA. Each generation's CA is its own
     * key and certificate resource, so a rollover never replaces the CA clients trust.
     * @default { generation: 1 } (one CA, named as before rollovers existed)
     */
    caRotation?: CaRotation;
}

/** A certificate and its private key. The key is always a Pulumi secret. */
export interface IssuedCertificate {
    certPem: pulumi.Output<string>;
    privateKeyPem: pulumi.Output<string>;
}

/**
 * A private certificate authority for one Redis deployment: a CA key and self-signed CA certificate, a
 * server certificate per node, and client certificates for mTLS. Certificates inside their early-renewal
 * window are replaced on the next `pulumi up`. A CA rollover (`caRotation`) adds a new CA beside the
 * current one, moves the certificates to it and retires the old one, one phase per `pulumi up`. Private keys
 * exist only as secrets.
 */
export class CertificateAuthority extends pulumi.ComponentResource {
    /**
     * The CA certificates clients and nodes trust: the one CA, or during `trust-both` and `serve-new` a
     * bundle of the new and the previous CA. Public.
     */
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
        const plan = caRolloverPlan(args.caRotation);
        super("redisplatform:security:CertificateAuthority", name, {}, opts);

        const algorithm = args.keyAlgorithm ?? "ECDSA";
        const organization = args.organization ?? "redis-platform";
        const caBaseName = args.commonName ?? `${name} Redis CA`;
        const newKey = (keyName: string) =>
            new tls.PrivateKey(
                keyName,
                algorithm === "ECDSA" ? { algorithm: "ECDSA", ecdsaCurve: "P256" } : { algorithm: "RSA", rsaBits: 2048 },
                { parent: this },
            );
        const newCa = (generation: number) => {
            const names = caResourceNames(name, generation);
            const key = newKey(names.key);
            const cert = new tls.SelfSignedCert(
                names.cert,
                {
                    privateKeyPem: key.privateKeyPem,
                    subject: { commonName: caCommonName(caBaseName, generation), organization },
                    isCaCertificate: true,
                    validityPeriodHours: daysToHours(caValidityDays),
                    earlyRenewalHours: daysToHours(earlyRenewalDays),
                    allowedUses: CA_ALLOWED_USES,
                },
                { parent: this },
            );
            return { key, cert };
        };

        const previousCa = plan.previous && { ...plan.previous, ...newCa(plan.previous.generation) };
        const currentCa = newCa(plan.current);
        const signer = previousCa?.generation === plan.issuer ? previousCa : currentCa;
        // One CA is passed through as issued, so stacks without a rollover see the same output as before.
        this.caCertPem =
            previousCa === undefined
                ? currentCa.cert.certPem
                : pulumi
                      .all([previousCa.cert.certPem, currentCa.cert.certPem])
                      .apply(([oldCaPem, newCaPem]) => caRolloverFiles(previousCa.phase, oldCaPem, newCaPem).trustedCaPem);

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
                    caPrivateKeyPem: signer.key.privateKeyPem,
                    caCertPem: signer.cert.certPem,
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
