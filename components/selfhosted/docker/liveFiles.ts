import type { NodePaths } from "../../redisconf/layout";
import type { UploadFile } from "./containerSpec";

/**
 * The files of a data node that change on a rotation (the ACL file, the password files, the TLS files), and
 * how a one-shot writer container puts them into named volumes that the node and its reload sidecar mount
 * read-only. Pure: no Pulumi import.
 *
 * `docker.Container.uploads` replaces a container whenever an upload changes. Keeping these files out of the
 * node's uploads means a rotation replaces only the writer: the node keeps running, and its reload sidecar
 * applies the new files (`redis-reload.sh`).
 */

/** A directory of live files, each backed by a named volume of its own. */
export interface LiveDir {
    /** Short name, the suffix of the volume's Docker name (`<container>-<key>`). */
    key: "acl" | "passwords" | "tls";
    /** The directory inside the containers, the same in the writer, the node and the sidecar. */
    dir: string;
}

/** The directory part of an absolute file path. */
export function dirOf(file: string): string {
    const slash = file.lastIndexOf("/");
    if (slash <= 0) {
        throw new Error(`dirOf: "${file}" is not an absolute path below the root directory`);
    }
    return file.slice(0, slash);
}

/**
 * The directories whose files change on a rotation, one volume each: the ACL file's, the password
 * directory, and the TLS directory when TLS is on.
 *
 * One volume per directory rather than one volume mounted several times with `volumeOptions.subpath`, which
 * needs Docker Engine 26 (API 1.45) or later.
 *
 * @throws Error when two of those directories coincide, or when a TLS file lives outside the TLS directory
 */
export function liveDirs(paths: NodePaths, tlsEnabled: boolean): LiveDir[] {
    const dirs: LiveDir[] = [
        { key: "acl", dir: dirOf(paths.aclFile) },
        { key: "passwords", dir: paths.passwordDir },
    ];
    if (tlsEnabled) {
        const tlsFiles = Object.values(paths.tls);
        const tlsDir = dirOf(paths.tls.certFile);
        const outside = tlsFiles.filter((file) => dirOf(file) !== tlsDir);
        if (outside.length > 0) {
            throw new Error(`liveDirs: the TLS files must share one directory (${tlsDir}), but ${outside.join(", ")} do not`);
        }
        dirs.push({ key: "tls", dir: tlsDir });
    }
    const unique = new Set(dirs.map((entry) => entry.dir));
    if (unique.size !== dirs.length) {
        throw new Error(`liveDirs: ${dirs.map((entry) => `${entry.key}=${entry.dir}`).join(", ")} must be distinct directories, one volume each`);
    }
    return dirs;
}

/** Whether a file lives in one of the live directories. */
export function isLiveFile(file: string, dirs: readonly LiveDir[]): boolean {
    const dir = dirOf(file);
    return dirs.some((entry) => entry.dir === dir);
}

/**
 * Splits a node's files into those its container keeps as uploads (config, scripts: a change restarts the
 * node, as it must) and the live ones the writer delivers (a change reaches the running node through its
 * reload sidecar).
 */
export function partitionUploads(files: readonly UploadFile[], dirs: readonly LiveDir[]): { container: UploadFile[]; live: UploadFile[] } {
    return {
        container: files.filter((file) => !isLiveFile(file.file, dirs)),
        live: files.filter((file) => isLiveFile(file.file, dirs)),
    };
}

/**
 * Where the writer's own uploads land before it copies them into the volumes: an anonymous volume of the
 * writer (Docker takes uploads into a volume, not into a read-only root filesystem).
 */
export const STAGE_ROOT = "/stage";

/** The path a live file is uploaded to in the writer: its final path under {@link STAGE_ROOT}. */
export function stagedPath(file: string): string {
    return `${STAGE_ROOT}${file}`;
}

/** The writer's uploads: the live files at their staged paths, secret flags kept. */
export function writerUploads(live: readonly UploadFile[]): UploadFile[] {
    return live.map((file) => ({ ...file, file: stagedPath(file.file) }));
}

/**
 * The writer's script, run as `sh -c <script> write-files <staged dir>=<volume dir>...`.
 *
 * For each pair it copies every staged file to a hidden temp file in the volume and renames it over the old
 * one, so a reader sees either the old or the new file, never half of one; then it removes the files the
 * stage no longer has. A missing stage directory fails the run before anything is removed. Files end up owned by root and the image's group (the writer's user), mode 0440, like
 * every uploaded file. Exits non-zero on the first failure.
 */
export const WRITER_SCRIPT = [
    "set -eu",
    'for pair in "$@"; do',
    '  from=${pair%%=*}; to=${pair#*=}',
    '  [ -d "$from" ] || { echo "write-files: $from is missing, $to left as it was" >&2; exit 1; }',
    '  for src in "$from"/*; do',
    '    [ -f "$src" ] || continue',
    '    name=${src##*/}; tmp="$to/.$name.new"',
    '    rm -f "$tmp"',
    '    cp "$src" "$tmp"',
    '    chmod 0440 "$tmp"',
    '    mv -f "$tmp" "$to/$name"',
    '    echo "wrote $to/$name"',
    "  done",
    '  for dst in "$to"/*; do',
    '    [ -e "$dst" ] || continue',
    '    [ -e "$from/${dst##*/}" ] && continue',
    '    rm -f "$dst"',
    '    echo "removed $dst"',
    "  done",
    "done",
].join("\n");

/** The writer's entrypoint: {@link WRITER_SCRIPT} with one `<staged dir>=<volume dir>` argument per live directory. */
export function writerEntrypoint(dirs: readonly LiveDir[]): string[] {
    return ["sh", "-c", WRITER_SCRIPT, "write-files", ...dirs.map((entry) => `${stagedPath(entry.dir)}=${entry.dir}`)];
}

/**
 * The writer's user: root, with the image's group as primary group.
 *
 * Docker creates a new named volume's root directory owned by root, mode 0755, so only root may create files
 * in it; with every capability dropped, root is only the owner of those directories and of the files it
 * creates, nothing more. The primary group gives each file the image's group, so the node (the image's
 * unprivileged user, same group) reads the mode 0440 files and cannot change them.
 */
export function writerUser(gid: number): string {
    return `0:${gid}`;
}

/**
 * What is wrong when a writer exited with this code, or `undefined` when it succeeded or has not reported yet
 * (a preview, or a provider that did not read it back). The Docker provider waits for a one-shot container
 * but never fails on its exit code, so the component checks it.
 */
export function writerExitProblem(containerName: string, exitCode: number | undefined): string | undefined {
    if (exitCode === undefined || exitCode === 0) {
        return undefined;
    }
    return `${containerName}-files exited with code ${exitCode}: the node's ACL, password or TLS files were not written (see: docker logs ${containerName}-files)`;
}
