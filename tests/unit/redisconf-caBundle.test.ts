import { strict as assert } from "node:assert";
import { caBundle, caRolloverFiles, CA_ROLLOVER_PHASES, nextCaRolloverPhase, splitPemCertificates } from "../../components/redisconf/caBundle";

function fakeCertificate(seed: string): string {
    const base64 = Buffer.from(seed.repeat(60)).toString("base64");
    return `-----BEGIN CERTIFICATE-----\n${(base64.match(/.{1,64}/g) ?? []).join("\n")}\n-----END CERTIFICATE-----\n`;
}

describe("redisconf: CA bundles for a CA rollover", function () {
    const oldCa = fakeCertificate("old");
    const newCa = fakeCertificate("new");

    it("splits and normalizes PEM certificates (CRLF, long lines, blank lines)", function () {
        const messy = `\n${oldCa.replace(/\n(?!-)/g, "").replace(/\n/g, "\r\n")}\n\n${newCa}`;
        assert.deepEqual(splitPemCertificates(messy), [oldCa, newCa]);
    });

    it("bundles every certificate once, in the order given", function () {
        assert.equal(caBundle([oldCa, newCa, oldCa]), oldCa + newCa);
        assert.equal(caBundle([oldCa + newCa, newCa]), oldCa + newCa);
    });

    it("refuses private keys, other text and an empty bundle", function () {
        assert.throws(() => caBundle([oldCa, `-----BEGIN ${"PRIVATE"} KEY-----\nabc\n-----END ${"PRIVATE"} KEY-----\n`]), /private key/);
        assert.throws(() => caBundle([`${oldCa}garbage`]), /other than PEM certificates/);
        assert.throws(() => caBundle([]), /at least one certificate/);
    });

    it("trusts both CAs until the old one is retired, and issues from the new CA only once both are trusted", function () {
        assert.deepEqual(CA_ROLLOVER_PHASES.map((phase) => caRolloverFiles(phase, oldCa, newCa)), [
            { trustedCaPem: oldCa + newCa, certificatesIssuedBy: "old" },
            { trustedCaPem: newCa + oldCa, certificatesIssuedBy: "new" },
            { trustedCaPem: newCa, certificatesIssuedBy: "new" },
        ]);
        assert.equal(nextCaRolloverPhase("trust-both"), "serve-new");
        assert.equal(nextCaRolloverPhase("serve-new"), "retire-old");
        assert.equal(nextCaRolloverPhase("retire-old"), undefined);
    });
});
