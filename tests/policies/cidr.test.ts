import { strict as assert } from "node:assert";
import { largePublicRange, parseCidr, publicAddressCount } from "../../policies/rules/lib/cidr";
import { deploymentPorts } from "../../policies/rules/lib/deploymentPorts";
import { policyResources } from "../../tools/offline/policyRunner";
import { recorded } from "./helpers";

const limits = { largestPublicPrefixV4: 24, largestPublicPrefixV6: 48 };

describe("CIDR coverage", () => {
    it("parses IPv4 and IPv6 blocks, normalising host bits, and refuses malformed ones", () => {
        assert.deepEqual(parseCidr("10.1.2.3/8"), { family: 4, first: 10n << 24n, last: (11n << 24n) - 1n });
        assert.equal(parseCidr("::/0")?.last, (1n << 128n) - 1n);
        assert.equal(parseCidr("2001:db8::1")?.first, parseCidr("2001:db8::1/128")?.last);
        assert.equal(parseCidr("::ffff:10.0.0.1/128")?.first, (0xffffn << 32n) | (10n << 24n) | 1n);
        for (const bad of ["10.0.0.0/33", "300.0.0.0/8", "1.2.3/24", "2001:db8::1::2/64", "x/1", "10.0.0.0/8/1"]) {
            assert.equal(parseCidr(bad), undefined, bad);
        }
    });

    it("counts public addresses over the union, without private, shared, documentation or reserved space", () => {
        const all = publicAddressCount(["0.0.0.0/0"]).v4;
        assert.equal(publicAddressCount(["0.0.0.0/1", "128.0.0.0/1"]).v4, all);
        assert.equal(publicAddressCount(["0.0.0.0/0", "0.0.0.0/1"]).v4, all, "overlaps count once");
        assert.equal(publicAddressCount(["10.0.0.0/8", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8", "224.0.0.0/4", "203.0.113.0/24"]).v4, 0n);
        assert.equal(publicAddressCount(["52.0.0.0/8"], ["52.0.0.0/9"]).v4, 1n << 23n, "except blocks are removed");
        assert.equal(publicAddressCount(["fd00::/8", "fe80::/10", "2001:db8::/32"]).v6, 0n);
        assert.equal(publicAddressCount(["::/0"]).v6, (1n << 125n) - (1n << 96n));
    });

    it("calls a range large above the limits, whatever its spelling", () => {
        assert.equal(largePublicRange(["198.51.99.0/24"], limits), undefined);
        assert.match(largePublicRange(["198.51.99.0/24", "198.51.98.255/32"], limits) ?? "", /257 public IPv4 addresses/);
        // 0.0.0.0/5 less "this network" 0.0.0.0/8: 7 x 2^24.
        assert.match(largePublicRange(["0.0.0.0/5"], limits) ?? "", /117440512 public IPv4 addresses/);
        assert.equal(largePublicRange(["2600:1f18::/48"], limits), undefined);
        assert.match(largePublicRange(["2600::/47"], limits) ?? "", /2\^81\+ public IPv6 addresses/);
    });
});

describe("deployment ports", () => {
    it("come from the stack's own resources, plus Redis's defaults", () => {
        const resources = policyResources(
            recorded([
                { type: "aws:elasticache/replicationGroup:ReplicationGroup", props: { port: 7379 } },
                { type: "kubernetes:core/v1:ConfigMap", props: { data: { "node.conf": "port 0\ntls-port 7000\ncluster-enabled yes\nappendonly yes\n", "s.conf": "port 0\ntls-port 27000\nsentinel monitor m h 1 2\n" } } },
                { type: "docker:index/container:Container", props: { ports: [{ internal: 7000, external: 17500, ip: "127.0.0.1" }, { internal: 9090, external: 19090 }] } },
            ]),
        );
        // 7379: the group's port; 7000 and its bus 17000: the cluster node; 27000: the sentinel; 17500: Docker's host port for 7000.
        assert.deepEqual(deploymentPorts(resources), [6379, 7000, 7379, 16379, 17000, 17500, 26379, 27000]);
    });
});
