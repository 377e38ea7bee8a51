import { strict as assert } from "node:assert";
import { tlsConnectionOptions } from "../../client";

describe("client TLS options", () => {
    it("is undefined without TLS", () => {
        assert.equal(tlsConnectionOptions({ enabled: false }), undefined);
    });

    it("verifies against public roots when there is no CA", () => {
        assert.deepEqual(tlsConnectionOptions({ enabled: true }), { rejectUnauthorized: true });
        assert.deepEqual(tlsConnectionOptions({ enabled: true, caCertPem: "" }), { rejectUnauthorized: true });
    });

    it("sends a host server name as SNI and checks every certificate against it", () => {
        const options = tlsConnectionOptions({ enabled: true, caCertPem: "CA", serverName: "redis.internal" });
        assert.equal(options?.servername, "redis.internal");
        assert.equal(options?.ca, "CA");
        const cert = { subject: { CN: "other" }, subjectaltname: "DNS:redis.internal" } as never;
        assert.equal(options?.checkServerIdentity?.("10.0.0.7", cert), undefined);
        const wrong = { subject: { CN: "other" }, subjectaltname: "DNS:elsewhere.internal" } as never;
        assert.ok(options?.checkServerIdentity?.("redis.internal", wrong) instanceof Error);
    });

    it("never sends an IP server name as SNI but still checks it", () => {
        const options = tlsConnectionOptions({ enabled: true, serverName: "10.0.0.7" });
        assert.equal(options?.servername, undefined);
        assert.equal(options?.checkServerIdentity?.("localhost", { subject: {}, subjectaltname: "IP Address:10.0.0.7" } as never), undefined);
    });

    it("requires a client certificate under mTLS and presents it", () => {
        assert.throws(() => tlsConnectionOptions({ enabled: true, clientCertRequired: true }), /requires a client certificate .* options.clientCertificate/);
        const options = tlsConnectionOptions({ enabled: true, clientCertRequired: true }, { certPem: "CERT", keyPem: "KEY" });
        assert.equal(options?.cert, "CERT");
        assert.equal(options?.key, "KEY");
    });
});
