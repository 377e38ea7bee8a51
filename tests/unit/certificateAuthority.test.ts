import { strict as assert } from "node:assert";
import { CertificateAuthority } from "../../components/security/certificateAuthority";
import { leakedSecrets, ofType, resolveOutput, runWithMocks } from "../../tools/offline/mockRuntime";

describe("CertificateAuthority under mocks", () => {
    it("issues a CA, a server certificate per node with its SANs, and client certificates", async () => {
        const run = await runWithMocks(() =>
            new CertificateAuthority("ca", {
                servers: [
                    { name: "redis-0", dnsNames: ["redis-0.redis-headless.redis.svc.cluster.local", "redis-0.redis-headless"] },
                    { name: "sentinel-0", dnsNames: ["sentinel-0"], ipAddresses: ["10.0.0.5"] },
                ],
                clients: ["app-client"],
                includeLocalhost: true,
            }),
        );
        assert.equal(run.error, undefined);
        const keys = ofType(run.resources, "tls:index/privateKey:PrivateKey");
        assert.deepEqual(keys.map((key) => key.name), ["ca-ca-key", "ca-redis-0-key", "ca-sentinel-0-key", "ca-app-client-key"]);
        for (const key of keys) {
            assert.deepEqual(key.inputs, { algorithm: "ECDSA", ecdsaCurve: "P256" });
            assert.ok(key.additionalSecretOutputs.includes("privateKeyPem"), `${key.name} returns its private key as a secret`);
        }

        const [caCert] = ofType(run.resources, "tls:index/selfSignedCert:SelfSignedCert");
        assert.deepEqual(caCert.inputs, {
            privateKeyPem: "-----BEGIN MOCK-SECRET KEY ca-ca-key-----",
            subject: { commonName: "ca Redis CA", organization: "redis-platform" },
            isCaCertificate: true,
            validityPeriodHours: 3650 * 24,
            earlyRenewalHours: 30 * 24,
            allowedUses: ["cert_signing", "crl_signing", "digital_signature"],
        });
        assert.deepEqual(caCert.secretInputs, ["privateKeyPem"]);

        const requests = ofType(run.resources, "tls:index/certRequest:CertRequest");
        assert.deepEqual(
            requests.map((request) => ({ name: request.name, subject: request.inputs.subject, dns: request.inputs.dnsNames, ips: request.inputs.ipAddresses })),
            [
                {
                    name: "ca-redis-0-csr",
                    subject: { commonName: "redis-0", organization: "redis-platform" },
                    dns: ["redis-0.redis-headless.redis.svc.cluster.local", "redis-0.redis-headless", "localhost"],
                    ips: ["127.0.0.1", "::1"],
                },
                {
                    name: "ca-sentinel-0-csr",
                    subject: { commonName: "sentinel-0", organization: "redis-platform" },
                    dns: ["sentinel-0", "localhost"],
                    ips: ["10.0.0.5", "127.0.0.1", "::1"],
                },
                { name: "ca-app-client-csr", subject: { commonName: "app-client", organization: "redis-platform" }, dns: [], ips: [] },
            ],
        );

        const signed = ofType(run.resources, "tls:index/locallySignedCert:LocallySignedCert").sort((a, b) => a.name.localeCompare(b.name));
        assert.deepEqual(
            signed.map((cert) => [cert.name, cert.inputs.allowedUses, cert.inputs.validityPeriodHours, cert.inputs.earlyRenewalHours]),
            [
                ["ca-app-client-cert", ["digital_signature", "key_encipherment", "client_auth"], 8760, 720],
                ["ca-redis-0-cert", ["digital_signature", "key_encipherment", "server_auth", "client_auth"], 8760, 720],
                ["ca-sentinel-0-cert", ["digital_signature", "key_encipherment", "server_auth", "client_auth"], 8760, 720],
            ],
        );
        for (const cert of signed) {
            assert.deepEqual(cert.secretInputs, ["caPrivateKeyPem"]);
        }

        const component = run.resources.find((resource) => resource.type === "redisplatform:security:CertificateAuthority");
        assert.ok(component);
        for (const child of run.resources.filter((resource) => resource !== component)) {
            assert.equal(child.parent, component.urn, `${child.name} is parented to the CA`);
        }

        const ca = run.result!;
        const serverKey = await resolveOutput(ca.serverCertificates["redis-0"].privateKeyPem);
        assert.equal(serverKey.secret, true);
        const clientKey = await resolveOutput(ca.clientCertificates["app-client"].privateKeyPem);
        assert.equal(clientKey.secret, true);
        const caCertPem = await resolveOutput(ca.caCertPem);
        assert.deepEqual(leakedSecrets(caCertPem.value), []);
    });

    it("uses RSA 2048 and custom validity when asked", async () => {
        const run = await runWithMocks(
            () => new CertificateAuthority("rsa", { servers: [{ name: "n", dnsNames: ["n"] }], keyAlgorithm: "RSA", validityDays: 90, earlyRenewalDays: 10, caValidityDays: 365 }),
        );
        assert.deepEqual(ofType(run.resources, "tls:index/privateKey:PrivateKey").map((key) => key.inputs), [
            { algorithm: "RSA", rsaBits: 2048 },
            { algorithm: "RSA", rsaBits: 2048 },
        ]);
        const [cert] = ofType(run.resources, "tls:index/locallySignedCert:LocallySignedCert");
        assert.equal(cert.inputs.validityPeriodHours, 90 * 24);
        assert.equal(cert.inputs.earlyRenewalHours, 10 * 24);
    });

    const invalid: [string, ConstructorParameters<typeof CertificateAuthority>[1], RegExp][] = [
        ["renewal window as long as validity", { servers: [{ name: "n", dnsNames: ["n"] }], validityDays: 30, earlyRenewalDays: 30 }, /earlyRenewalDays = 30: must be a whole number from 0 to validityDays - 1 \(29\)/],
        ["CA shorter than its certificates", { servers: [{ name: "n", dnsNames: ["n"] }], caValidityDays: 100 }, /caValidityDays = 100: must be at least validityDays \(365\)/],
        ["a server with no name to verify", { servers: [{ name: "n", dnsNames: [] }] }, /server "n" has no DNS name or IP address/],
        ["a duplicate name", { servers: [{ name: "n", dnsNames: ["a"] }], clients: ["n"] }, /certificate name "n" is used twice/],
        ["an invalid name", { servers: [{ name: "Node_1", dnsNames: ["a"] }] }, /certificate name "Node_1": must be lower-case/],
    ];
    for (const [title, args, message] of invalid) {
        it(`refuses ${title} before registering anything`, async () => {
            const run = await runWithMocks(() => new CertificateAuthority("bad", args));
            assert.match(String(run.error), message);
            assert.deepEqual(run.resources, []);
        });
    }
});
