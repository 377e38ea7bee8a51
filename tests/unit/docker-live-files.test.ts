import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CONTAINER_PATHS } from "../../components/redisconf/layout";
import { reloadEnvFor, renderReloadScript } from "../../components/redisconf/scripts/reload";
import type { UploadFile } from "../../components/selfhosted/docker/containerSpec";
import { liveDirs, partitionUploads, writerEntrypoint, writerExitProblem, writerUploads, writerUser, WRITER_SCRIPT } from "../../components/selfhosted/docker/liveFiles";
import { RELOAD_ENTRYPOINT, reloadSidecarEnv, reloadSidecarUploads } from "../../components/selfhosted/docker/reloadSidecar";

const file = (path: string, secret = false): UploadFile => ({ file: path, content: `content of ${path}`, secret });

describe("Docker live files and reload sidecar (pure)", () => {
    it("gives the ACL, password and TLS directories a volume each, TLS only when on", () => {
        assert.deepEqual(liveDirs(CONTAINER_PATHS, true), [
            { key: "acl", dir: "/etc/redis/acl" },
            { key: "passwords", dir: "/etc/redis/passwords" },
            { key: "tls", dir: "/etc/redis/tls" },
        ]);
        assert.deepEqual(liveDirs(CONTAINER_PATHS, false), [
            { key: "acl", dir: "/etc/redis/acl" },
            { key: "passwords", dir: "/etc/redis/passwords" },
        ]);
        assert.throws(
            () => liveDirs({ ...CONTAINER_PATHS, tls: { ...CONTAINER_PATHS.tls, caFile: "/etc/ssl/ca.crt" } }, true),
            /^Error: liveDirs: the TLS files must share one directory \(\/etc\/redis\/tls\), but \/etc\/ssl\/ca.crt do not$/,
        );
        assert.throws(() => liveDirs({ ...CONTAINER_PATHS, aclFile: "/etc/redis/passwords/users.acl" }, false), /must be distinct directories, one volume each/);
    });

    it("keeps config and scripts with the container and hands every rotated file to the writer, staged", () => {
        const files = [
            file("/etc/redis/conf/node.conf"),
            file("/etc/redis/acl/users.acl", true),
            file("/etc/redis/scripts/redis-start.sh"),
            file("/etc/redis/passwords/admin", true),
            file("/etc/redis/tls/tls.crt"),
            file("/etc/redis/tls/tls.key", true),
        ];
        const { container, live } = partitionUploads(files, liveDirs(CONTAINER_PATHS, true));
        assert.deepEqual(container, [files[0], files[2]]);
        assert.deepEqual(live, [files[1], files[3], files[4], files[5]]);
        assert.deepEqual(
            writerUploads(live).map((upload) => [upload.file, upload.secret]),
            [
                ["/stage/etc/redis/acl/users.acl", true],
                ["/stage/etc/redis/passwords/admin", true],
                ["/stage/etc/redis/tls/tls.crt", false],
                ["/stage/etc/redis/tls/tls.key", true],
            ],
        );
        assert.deepEqual(writerEntrypoint(liveDirs(CONTAINER_PATHS, false)), ["sh", "-c", WRITER_SCRIPT, "write-files", "/stage/etc/redis/acl=/etc/redis/acl", "/stage/etc/redis/passwords=/etc/redis/passwords"]);
        assert.equal(writerUser(1000), "0:1000");
    });

    it("fails a writer run on a non-zero exit code only", () => {
        assert.equal(writerExitProblem("redis-dev-redis-0", 0), undefined);
        assert.equal(writerExitProblem("redis-dev-redis-0", undefined), undefined);
        assert.equal(
            writerExitProblem("redis-dev-redis-0", 1),
            "redis-dev-redis-0-files exited with code 1: the node's ACL, password or TLS files were not written (see: docker logs redis-dev-redis-0-files)",
        );
    });

    it("runs the sidecar with the node's env plus reloadEnvFor, and the rendered reload script byte for byte", () => {
        const nodeEnv = { REDIS_NODE_NAME: "redis-0", REDIS_PORT: "7000", REDIS_PASSWORD_DIR: "/etc/redis/passwords", REDIS_TLS: "yes" };
        for (const engine of [{ name: "redis", version: "7.0" }, { name: "valkey", version: "8.1" }] as const) {
            assert.deepEqual(reloadSidecarEnv(nodeEnv, CONTAINER_PATHS, engine, true), { ...nodeEnv, ...reloadEnvFor({ node: { kind: "redis" }, paths: CONTAINER_PATHS, engine, tls: { enabled: true } }) });
        }
        assert.equal(reloadSidecarEnv(nodeEnv, CONTAINER_PATHS, { name: "redis", version: "7.0" }, false).REDIS_ACL_APPLY, "setuser", "Redis 7.0: ACL LOAD would drop every client");
        assert.deepEqual(reloadSidecarUploads(), [{ file: "/etc/redis/scripts/redis-reload.sh", content: renderReloadScript(), secret: false }]);
        assert.deepEqual(RELOAD_ENTRYPOINT, ["sh", "/etc/redis/scripts/redis-reload.sh"]);
    });
});

describe("Docker writer script on a real shell", () => {
    let root: string;
    beforeEach(() => {
        root = mkdtempSync(join(tmpdir(), "writer-"));
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    /** Runs the writer's entrypoint with `sh`, its paths moved under the temp dir. */
    function runWriter(pairs: [string, string][]): { status: number | null; stdout: string; stderr: string } {
        const result = spawnSync("sh", ["-c", WRITER_SCRIPT, "write-files", ...pairs.map(([from, to]) => `${join(root, from)}=${join(root, to)}`)], { encoding: "utf8" });
        return { status: result.status, stdout: result.stdout, stderr: result.stderr };
    }
    const write = (path: string, content: string) => {
        mkdirSync(join(root, path, ".."), { recursive: true });
        writeFileSync(join(root, path), content);
    };

    it("copies every staged file into place, mode 0440, replaces changed ones and removes the ones no longer staged", () => {
        write("stage/passwords/admin", "p1");
        write("stage/passwords/monitor", "m1");
        mkdirSync(join(root, "passwords"));
        write("passwords/retired", "old");
        write("passwords/admin", "p0");
        const run = runWriter([["stage/passwords", "passwords"]]);
        assert.equal(run.status, 0, run.stderr);
        assert.deepEqual(readdirSync(join(root, "passwords")).sort(), ["admin", "monitor"], "no temp file left, the retired file removed");
        assert.equal(readFileSync(join(root, "passwords/admin"), "utf8"), "p1");
        assert.equal(statSync(join(root, "passwords/monitor")).mode & 0o777, 0o440);
        assert.equal(run.stdout, [`wrote ${root}/passwords/admin`, `wrote ${root}/passwords/monitor`, `removed ${root}/passwords/retired`, ""].join("\n"));

        // A second run over its own 0440 files (a rotation) replaces them.
        write("stage/passwords/admin", "p2");
        assert.equal(runWriter([["stage/passwords", "passwords"]]).status, 0);
        assert.equal(readFileSync(join(root, "passwords/admin"), "utf8"), "p2");
    });

    it("fails without touching the volume when a stage directory is missing", () => {
        mkdirSync(join(root, "tls"));
        write("tls/tls.crt", "cert");
        const run = runWriter([["stage/tls", "tls"]]);
        assert.equal(run.status, 1);
        assert.match(run.stderr, /write-files: .*\/stage\/tls is missing, .*\/tls left as it was/);
        assert.deepEqual(readdirSync(join(root, "tls")), ["tls.crt"]);
    });
});
