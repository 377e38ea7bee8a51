import { execFile, spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import S3rver from "s3rver";

/**
 * A real S3-compatible endpoint on loopback for the backup tests: `s3rver` (npm) serving one bucket from a
 * directory, and the AWS CLI v2 the pinned upload image runs (Debian's `awscli`), so the rendered backup and
 * restore scripts make real S3 requests (PutObject, GetObject over HTTP) instead of calling a stand-in.
 */

/** The credentials s3rver accepts (its built-in account); not a secret. */
const S3RVER_CREDENTIALS = { AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER" } as const;

/** A running S3-compatible server and what a script needs to reach it. */
export interface LocalS3 {
    /** `http://127.0.0.1:<port>`, for `BACKUP_S3_ENDPOINT`. */
    endpoint: string;
    /** The environment a script runs `aws` with: the CLI v2 first on PATH, credentials, region, no user config. */
    env: Record<string, string>;
    /** The bytes of an object as the server returns them. */
    object(key: string): Promise<Buffer>;
    /** The keys under a prefix, as `aws s3api list-objects-v2` returns them from the server. */
    keys(prefix: string): Promise<string[]>;
    close(): Promise<void>;
}

/**
 * The directory of an AWS CLI v2 on PATH (the major version of the pinned upload image).
 *
 * @throws Error naming the Debian package when there is none
 */
export function awsCliV2Dir(): string {
    const found = spawnSync("sh", ["-c", "which -a aws"], { encoding: "utf8" }).stdout.split("\n").filter(Boolean);
    for (const candidate of found) {
        const version = spawnSync(candidate, ["--version"], { encoding: "utf8" });
        if (`${version.stdout}${version.stderr}`.startsWith("aws-cli/2.")) {
            return path.dirname(candidate);
        }
    }
    throw new Error(`no AWS CLI v2 on PATH (found: ${found.join(", ") || "none"}): it ships in the Debian package "awscli" (sudo apt-get install -y awscli)`);
}

/** Starts s3rver on a free loopback port with `bucket` created, storing under `dir`. */
export async function startLocalS3(dir: string, bucket: string): Promise<LocalS3> {
    const cliDir = awsCliV2Dir();
    const directory = path.join(dir, "s3rver");
    mkdirSync(directory, { recursive: true });
    const server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory, configureBuckets: [{ name: bucket, configs: [] }] });
    const { port } = await server.run();
    const endpoint = `http://127.0.0.1:${port}`;
    const env = {
        ...S3RVER_CREDENTIALS,
        PATH: `${cliDir}:${process.env.PATH ?? "/usr/bin:/bin"}`,
        AWS_DEFAULT_REGION: "us-east-1",
        AWS_CONFIG_FILE: "/dev/null",
        AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
        AWS_EC2_METADATA_DISABLED: "true",
        HOME: dir,
    };
    // Asynchronous: the server answers from this same process.
    const aws = async (args: string[]): Promise<Buffer> =>
        (await promisify(execFile)(path.join(cliDir, "aws"), ["--endpoint-url", endpoint, ...args], { env: { ...process.env, ...env }, timeout: 60_000, encoding: "buffer", maxBuffer: 1 << 30 })).stdout;
    return {
        endpoint,
        env,
        object: (key) => aws(["s3", "cp", "--only-show-errors", `s3://${bucket}/${key}`, "-"]),
        keys: async (prefix) => {
            const listed = JSON.parse((await aws(["s3api", "list-objects-v2", "--bucket", bucket, "--prefix", prefix, "--output", "json"])).toString("utf8") || "{}");
            return ((listed.Contents ?? []) as { Key: string }[]).map((entry) => entry.Key).sort();
        },
        close: () => server.close(),
    };
}
