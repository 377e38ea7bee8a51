#!/usr/bin/env bash
# Proves `npm pack` yields an installable library: packs (prepack builds dist/), installs the tarball into an
# empty project, requires both entry points, and type-checks a consumer program against the shipped .d.ts.
# Usage: scripts/pack-check.sh   (exit 0 ok, 1 failure; progress on stderr)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$root"
echo "pack-check: npm pack (builds dist/)" >&2
tarball="$(npm pack --silent --pack-destination "$work" | tail -n 1)"
if tar -tzf "$work/$tarball" | grep -Eq '^package/(stacks|tests|tools)/'; then
    echo "pack-check: the tarball ships stack files, tests or tools" >&2
    exit 1
fi

mkdir "$work/app"
cd "$work/app"
echo '{ "name": "consumer", "version": "1.0.0", "private": true }' > package.json
echo "pack-check: npm install $tarball" >&2
npm install --silent --no-audit --no-fund --prefer-offline --ignore-scripts "$work/$tarball" >&2

test -f node_modules/pulumi-redis-platform/dist/components/index.d.ts || { echo "pack-check: no .d.ts in the package" >&2; exit 1; }
test -f node_modules/pulumi-redis-platform/dist/client/index.d.ts || { echo "pack-check: no client .d.ts in the package" >&2; exit 1; }

# shellcheck disable=SC2016 # JavaScript, not shell: the template literal is meant for node.
node -e '
const lib = require("pulumi-redis-platform");
for (const name of ["Redis", "ElastiCacheRedis", "UpstashRedis", "SelfHostedRedis", "KubernetesRedis", "DockerDeployment"]) {
    if (typeof lib[name] !== "function") { console.error(`pack-check: missing export ${name}`); process.exit(1); }
}
const client = require("pulumi-redis-platform/client");
if (client.parseConnectionUrl("rediss+sentinel://u:p@s1:26379,s2:26379/primary").connection.mode !== "sentinel") process.exit(1);
if (typeof client.createRedisClient !== "function") process.exit(1);
'

cat > consumer.ts <<'TS'
import * as pulumi from "@pulumi/pulumi";
import { ElastiCacheRedis, ElastiCacheRedisArgs, Redis, SelfHostedRedisArgs } from "pulumi-redis-platform";
import { createRedisClient } from "pulumi-redis-platform/client";

const subnets: pulumi.Output<string[]> = pulumi.output(["subnet-a", "subnet-b"]);
const args: ElastiCacheRedisArgs = { vpcId: pulumi.output("vpc-1"), subnetIds: subnets, allowedCidrs: ["10.0.0.0/8"], nodeType: pulumi.output("cache.r7g.large") };
export const cache = new ElastiCacheRedis("c", args);
const selfHosted: SelfHostedRedisArgs = { topology: "sentinel", platform: "kubernetes" };
export const redis = new Redis("r", { backend: "selfhosted", ...selfHosted });
export const client = () => createRedisClient("rediss+sentinel://u:p@s1:26379/primary", { tls: { caCertPem: "" } });
TS
cat > tsconfig.json <<'JSON'
{ "compilerOptions": { "strict": true, "noEmit": true, "module": "node16", "moduleResolution": "node16", "target": "ES2022", "skipLibCheck": true, "types": [] }, "files": ["consumer.ts"] }
JSON
echo "pack-check: type-check a consumer against the shipped .d.ts" >&2
"$root/node_modules/.bin/tsc" -p tsconfig.json
echo "pack-check: ok ($tarball installs, both entry points load, the typed API compiles)" >&2
