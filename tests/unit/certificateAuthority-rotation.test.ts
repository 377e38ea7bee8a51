import { strict as assert } from "node:assert";
import { Redis } from "../../components/redis";
import { redisArgsFor } from "../../stacks/config/redisArgs";
import { caBundle, CA_ROLLOVER_PHASES, caRolloverFiles, CaRolloverPhase } from "../../components/redisconf/caBundle";
import type { SelfHostedConfig } from "../../components/selfhosted/platform";
import { CertificateAuthority, CertificateAuthorityArgs } from "../../components/security/certificateAuthority";
import { caResourceNames, caRolloverPlan, CaRotation } from "../../components/security/certificateNames";
import { ConfigError } from "../../stacks/config/errors";
import { parseStackConfig } from "../../stacks/config/parse";
import { leakedSecrets, ofType, RecordedResource, resolveOutput, runWithMocks } from "../../tools/offline/mockRuntime";

const KEY = "tls:index/privateKey:PrivateKey";
const CA_CERT = "tls:index/selfSignedCert:SelfSignedCert";
const CSR = "tls:index/certRequest:CertRequest";
const SIGNED = "tls:index/locallySignedCert:LocallySignedCert";
const DOCKER_IMAGE = "docker:index/remoteImage:RemoteImage";

/** A well-formed PEM certificate whose body encodes `name`, so a bundle shows which CAs it holds and in which order. */
function pemOf(name: string): string {
    return `-----BEGIN CERTIFICATE-----\n${Buffer.from(name).toString("base64")}\n-----END CERTIFICATE-----\n`;
}

/** The mock key of a resource, as the mocks generate it. */
function mockKey(name: string): string {
    return `-----BEGIN MOCK-SECRET KEY ${name}-----`;
}

/** CA certificates as parseable PEM, since the trust bundle is built from their text. */
const PEM_OUTPUTS = { [CA_CERT]: (name: string) => ({ certPem: pemOf(name) }) };

const ARGS: CertificateAuthorityArgs = {
    servers: [{ name: "redis-0", dnsNames: ["redis-0"] }],
    clients: ["app-client"],
};

async function build(caRotation?: CaRotation) {
    const run = await runWithMocks(() => new CertificateAuthority("ca", { ...ARGS, ...(caRotation ? { caRotation } : {}) }), { outputs: PEM_OUTPUTS });
    assert.equal(run.error, undefined, String(run.error));
    return { ...run, caCertPem: await resolveOutput(run.result!.caCertPem) };
}

/** Every registration with what identifies it and what it was sent, in order. */
function registrations(resources: readonly RecordedResource[]) {
    return resources.map((resource) => ({ type: resource.type, name: resource.name, inputs: resource.inputs, secretInputs: resource.secretInputs, custom: resource.custom }));
}

/** Signer key and CA certificate of every signed certificate, by certificate name. */
function signers(resources: readonly RecordedResource[]): Record<string, [string, string]> {
    return Object.fromEntries(ofType(resources, SIGNED).map((cert) => [cert.name, [cert.inputs.caPrivateKeyPem, cert.inputs.caCertPem]]));
}

describe("CA rollover", () => {
    describe("the plan of each state (pure)", () => {
        it("keeps one CA at generation 1 and after retire-old, two during the overlap", () => {
            assert.deepEqual(caRolloverPlan(), { current: 1, issuer: 1 });
            assert.deepEqual(caRolloverPlan({ generation: 1 }), { current: 1, issuer: 1 });
            assert.deepEqual(caRolloverPlan({ generation: 2, phase: "trust-both" }), { current: 2, previous: { generation: 1, phase: "trust-both" }, issuer: 1 });
            assert.deepEqual(caRolloverPlan({ generation: 2, phase: "serve-new" }), { current: 2, previous: { generation: 1, phase: "serve-new" }, issuer: 2 });
            assert.deepEqual(caRolloverPlan({ generation: 2, phase: "retire-old" }), { current: 2, issuer: 2 });
            assert.deepEqual(caRolloverPlan({ generation: 5, phase: "trust-both" }), { current: 5, previous: { generation: 4, phase: "trust-both" }, issuer: 4 });
        });

        it("signs with the CA caRolloverFiles names for every phase", () => {
            for (const phase of CA_ROLLOVER_PHASES) {
                const plan = caRolloverPlan({ generation: 2, phase });
                const expected = caRolloverFiles(phase, pemOf("old"), pemOf("new")).certificatesIssuedBy === "old" ? 1 : 2;
                assert.equal(plan.issuer, expected, phase);
            }
        });

        it("names generation 1 as before rollovers existed, and every later generation after its number", () => {
            assert.deepEqual(caResourceNames("redis-ca", 1), { key: "redis-ca-ca-key", cert: "redis-ca-ca-cert" });
            assert.deepEqual(caResourceNames("redis-ca", 2), { key: "redis-ca-ca-g2-key", cert: "redis-ca-ca-g2-cert" });
        });
    });

    describe("CertificateAuthority under mocks", () => {
        it("registers exactly the same at generation 1 as without caRotation", async () => {
            const before = await build();
            const after = await build({ generation: 1 });
            assert.deepEqual(registrations(after.resources), registrations(before.resources));
            assert.deepEqual(after.caCertPem, before.caCertPem);
            assert.deepEqual(
                ofType(after.resources, KEY).map((key) => key.name),
                ["ca-ca-key", "ca-redis-0-key", "ca-app-client-key"],
            );
            assert.deepEqual(ofType(after.resources, CA_CERT).map((cert) => cert.name), ["ca-ca-cert"]);
            // One CA is handed over as issued, not re-encoded.
            assert.deepEqual(after.caCertPem, { value: pemOf("ca-ca-cert"), secret: false });
        });

        it("trust-both: adds the new CA, trusts both (old first), and still signs with the old one", async () => {
            const run = await build({ generation: 2, phase: "trust-both" });
            assert.deepEqual(ofType(run.resources, KEY).map((key) => key.name), ["ca-ca-key", "ca-ca-g2-key", "ca-redis-0-key", "ca-app-client-key"]);
            const cas = ofType(run.resources, CA_CERT);
            assert.deepEqual(
                cas.map((cert) => [cert.name, cert.inputs]),
                [
                    ["ca-ca-cert", caCertInputs("ca-ca-key", "ca Redis CA")],
                    ["ca-ca-g2-cert", caCertInputs("ca-ca-g2-key", "ca Redis CA G2")],
                ],
            );
            for (const cert of cas) {
                assert.deepEqual(cert.secretInputs, ["privateKeyPem"]);
            }
            assert.deepEqual(signers(run.resources), {
                "ca-redis-0-cert": [mockKey("ca-ca-key"), pemOf("ca-ca-cert")],
                "ca-app-client-cert": [mockKey("ca-ca-key"), pemOf("ca-ca-cert")],
            });
            assert.deepEqual(run.caCertPem, { value: pemOf("ca-ca-cert") + pemOf("ca-ca-g2-cert"), secret: false });
        });

        it("serve-new: keeps both CAs trusted (new first) and signs with the new one", async () => {
            const run = await build({ generation: 2, phase: "serve-new" });
            assert.deepEqual(ofType(run.resources, CA_CERT).map((cert) => cert.name), ["ca-ca-cert", "ca-ca-g2-cert"]);
            assert.deepEqual(signers(run.resources), {
                "ca-redis-0-cert": [mockKey("ca-ca-g2-key"), pemOf("ca-ca-g2-cert")],
                "ca-app-client-cert": [mockKey("ca-ca-g2-key"), pemOf("ca-ca-g2-cert")],
            });
            for (const cert of ofType(run.resources, SIGNED)) {
                assert.deepEqual(cert.secretInputs, ["caPrivateKeyPem"]);
            }
            assert.deepEqual(run.caCertPem, { value: caBundle([pemOf("ca-ca-g2-cert"), pemOf("ca-ca-cert")]), secret: false });
        });

        it("retire-old: removes the previous CA and trusts the new one alone", async () => {
            const run = await build({ generation: 2, phase: "retire-old" });
            assert.deepEqual(ofType(run.resources, KEY).map((key) => key.name), ["ca-ca-g2-key", "ca-redis-0-key", "ca-app-client-key"]);
            assert.deepEqual(ofType(run.resources, CA_CERT).map((cert) => cert.name), ["ca-ca-g2-cert"]);
            assert.deepEqual(signers(run.resources)["ca-redis-0-cert"], [mockKey("ca-ca-g2-key"), pemOf("ca-ca-g2-cert")]);
            assert.deepEqual(run.caCertPem, { value: pemOf("ca-ca-g2-cert"), secret: false });
        });

        it("the next rollover keeps generation 2's names and adds generation 3's", async () => {
            const run = await build({ generation: 3, phase: "trust-both" });
            assert.deepEqual(ofType(run.resources, CA_CERT).map((cert) => [cert.name, cert.inputs.subject.commonName]), [
                ["ca-ca-g2-cert", "ca Redis CA G2"],
                ["ca-ca-g3-cert", "ca Redis CA G3"],
            ]);
            assert.deepEqual(signers(run.resources)["ca-redis-0-cert"], [mockKey("ca-ca-g2-key"), pemOf("ca-ca-g2-cert")]);
            assert.deepEqual(run.caCertPem.value, pemOf("ca-ca-g2-cert") + pemOf("ca-ca-g3-cert"));
        });

        it("keeps every CA's resources identical across the phases that have it, and every node key and CSR across all", async () => {
            const states: (CaRotation | undefined)[] = [undefined, ...CA_ROLLOVER_PHASES.map((phase): CaRotation => ({ generation: 2, phase })), { generation: 3, phase: "trust-both" }];
            // One after the other: the mock runtime is global.
            const runs = [];
            for (const state of states) {
                runs.push(await build(state));
            }
            const byName = new Map<string, unknown>();
            for (const run of runs) {
                for (const resource of run.resources.filter((candidate) => candidate.type === KEY || candidate.type === CA_CERT || candidate.type === CSR)) {
                    const seen = byName.get(`${resource.type} ${resource.name}`);
                    if (seen === undefined) {
                        byName.set(`${resource.type} ${resource.name}`, resource.inputs);
                    } else {
                        assert.deepEqual(resource.inputs, seen, `${resource.name} changed between rollover states`);
                    }
                }
                assert.deepEqual(ofType(run.resources, SIGNED).map((cert) => cert.name).sort(), ["ca-app-client-cert", "ca-redis-0-cert"]);
                assert.deepEqual(leakedSecrets(run.caCertPem.value), []);
            }
        });

        it("keeps the private keys of every CA secret", async () => {
            const run = await build({ generation: 2, phase: "serve-new" });
            for (const key of ofType(run.resources, KEY)) {
                assert.ok(key.additionalSecretOutputs.includes("privateKeyPem"), `${key.name} returns its private key as a secret`);
            }
            const clientKey = await resolveOutput(run.result!.clientCertificates["app-client"].privateKeyPem);
            assert.equal(clientKey.secret, true);
        });

        const invalid: [string, CaRotation, RegExp][] = [
            ["a phase at generation 1", { generation: 1, phase: "trust-both" }, /caRotation.phase = "trust-both" with generation 1: a phase only applies from generation 2/],
            ["no phase above generation 1", { generation: 2 }, /caRotation.phase is not set with generation 2: must be one of trust-both, serve-new, retire-old, in that order/],
            ["generation 0", { generation: 0 }, /caRotation.generation = 0: must be a whole number from 1 to 1000/],
            ["a fractional generation", { generation: 1.5 }, /caRotation.generation = 1.5: must be a whole number from 1 to 1000/],
            ["an unknown phase", { generation: 2, phase: "trust" as CaRolloverPhase }, /caRotation.phase = "trust": must be one of trust-both, serve-new, retire-old/],
        ];
        for (const [title, caRotation, message] of invalid) {
            it(`refuses ${title} before registering anything`, async () => {
                const run = await runWithMocks(() => new CertificateAuthority("bad", { ...ARGS, caRotation }));
                assert.match(String(run.error), message);
                assert.deepEqual(run.resources, []);
            });
        }
    });

    describe("the self-hosted backend", () => {
        it("passes redis:tls.caRotation to the CA and hands the bundle to the platform and the connection", async () => {
            const config = parseStackConfig("t", {
                "redis:backend": "selfhosted",
                "redis:selfhosted": JSON.stringify({ topology: "standalone", platform: "docker", resources: { cpu: "500m", memory: "256mb" } }),
                "redis:tls": JSON.stringify({ caRotation: { generation: 2, phase: "serve-new" } }),
                "redis:monitoring": JSON.stringify({ enabled: false }),
                "redis:backup": JSON.stringify({ enabled: false }),
            }) as SelfHostedConfig;
            const run = await runWithMocks(() => new Redis("redis", redisArgsFor(config)), {
                outputs: { ...PEM_OUTPUTS, [DOCKER_IMAGE]: () => ({ imageId: `sha256:${"1".repeat(64)}` }) },
            });
            assert.equal(run.error, undefined, String(run.error));
            assert.deepEqual(ofType(run.resources, CA_CERT).map((cert) => cert.name), ["redis-ca-ca-cert", "redis-ca-ca-g2-cert"]);
            const bundle = caBundle([pemOf("redis-ca-ca-g2-cert"), pemOf("redis-ca-ca-cert")]);
            const connection = await resolveOutput(run.result!.connection);
            assert.equal((connection.value as { tls: { caCertPem: string } }).tls.caCertPem, bundle);
            assert.ok(
                run.resources.some((resource) => JSON.stringify(resource.inputs).includes(JSON.stringify(bundle).slice(1, -1))),
                "some platform resource carries the bundle as the nodes' CA file",
            );
        });
    });
});

function caCertInputs(keyName: string, commonName: string) {
    return {
        privateKeyPem: mockKey(keyName),
        subject: { commonName, organization: "redis-platform" },
        isCaCertificate: true,
        validityPeriodHours: 3650 * 24,
        earlyRenewalHours: 30 * 24,
        allowedUses: ["cert_signing", "crl_signing", "digital_signature"],
    };
}

describe("redis:tls.caRotation config", () => {
    const base = { "redis:backend": "selfhosted", "redis:selfhosted": JSON.stringify({ topology: "sentinel", platform: "docker" }) };

    /** Parses `values` over a self-hosted base; an `undefined` value removes the base's key. */
    function parse(values: Record<string, unknown>) {
        const config: Record<string, string> = { ...base };
        for (const [key, value] of Object.entries(values)) {
            if (value === undefined) {
                delete config[`redis:${key}`];
            } else {
                config[`redis:${key}`] = JSON.stringify(value);
            }
        }
        return parseStackConfig("t", config);
    }

    function problemsOf(values: Record<string, unknown>): string[] {
        try {
            parse(values);
        } catch (error) {
            assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
            return error.problems.map((problem) => `${problem.key} = ${problem.value}: ${problem.message}`);
        }
        assert.fail("the config was accepted");
    }

    it("is unset by default, so existing stacks stay at generation 1", () => {
        assert.equal(parse({}).tls.caRotation, undefined);
        assert.deepEqual(parse({ tls: { caRotation: {} } }).tls.caRotation, { generation: 1 });
    });

    it("accepts every phase above generation 1", () => {
        for (const phase of CA_ROLLOVER_PHASES) {
            assert.deepEqual(parse({ tls: { caRotation: { generation: 2, phase } } }).tls.caRotation, { generation: 2, phase });
        }
    });

    const cases: [string, Record<string, unknown>, string[]][] = [
        ["a phase at generation 1", { tls: { caRotation: { phase: "trust-both" } } }, [
            'redis:tls.caRotation.phase = "trust-both": only applies when tls.caRotation.generation is above 1: generation 1 is the first CA, with nothing to roll over from; raise generation by one to start a rollover',
        ]],
        ["a new generation without a phase", { tls: { caRotation: { generation: 2 } } }, [
            'redis:tls.caRotation.phase = (not set): is required when tls.caRotation.generation is above 1 (2): set "trust-both", then "serve-new", then "retire-old", one pulumi up each',
        ]],
        ["an unknown phase", { tls: { caRotation: { generation: 2, phase: "trust" } } }, [
            'redis:tls.caRotation.phase = "trust": must be one of "trust-both", "serve-new", "retire-old"',
        ]],
        ["generation 0", { tls: { caRotation: { generation: 0 } } }, ["redis:tls.caRotation.generation = 0: must be at least 1"]],
        ["a misspelled key", { tls: { caRotation: { generation: 2, phase: "serve-new", phases: "x" } } }, [
            'redis:tls.caRotation.phases = "x": is not a known key (did you mean "phase"?); allowed keys here: generation, phase',
        ]],
        ["a rollover without TLS", { environment: "dev", tls: { enabled: false, caRotation: { generation: 2, phase: "trust-both" } } }, [
            'redis:tls.caRotation = {"generation":2,"phase":"trust-both"}: only applies while tls.enabled is true: without TLS there is no CA to roll over',
        ]],
        ["a rollover on a managed backend", { backend: "upstash", selfhosted: undefined, upstash: { primaryRegion: "us-east-1", email: "ops@example.com" }, tls: { caRotation: { generation: 1 } } }, [
            'redis:tls.caRotation = {"generation":1}: only applies to backend "selfhosted": backend "upstash" manages its own CA',
            'redis:upstashApiKey = (not set): is required with backend "upstash": run pulumi config set --secret redis:upstashApiKey ...',
        ]],
    ];
    for (const [title, values, expected] of cases) {
        it(`refuses ${title}`, () => {
            assert.deepEqual(problemsOf(values), expected);
        });
    }
});
