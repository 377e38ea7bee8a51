import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import type { RenderedFile } from "./files";

/** The file in the output directory that lists what the last render wrote, so the next one can clear it. */
export const RENDER_MANIFEST = ".render-manifest.json";

/** The manifest's content. */
interface RenderManifest {
    tool: "npm run render";
    stack: string;
    files: string[];
}

/** Whether a relative path stays inside the output directory. Pure. */
export function isInside(relative: string): boolean {
    const normalised = path.posix.normalize(relative);
    return normalised !== "" && !path.posix.isAbsolute(normalised) && normalised !== ".." && !normalised.startsWith("../") && normalised !== RENDER_MANIFEST;
}

/** The files a previous render recorded in `dir`'s manifest; none when there is no readable manifest. */
export function previouslyWritten(dir: string): string[] {
    const manifest = path.join(dir, RENDER_MANIFEST);
    if (!existsSync(manifest)) {
        return [];
    }
    try {
        const parsed = JSON.parse(readFileSync(manifest, "utf8")) as Partial<RenderManifest>;
        return Array.isArray(parsed.files) ? parsed.files.filter((file): file is string => typeof file === "string" && isInside(file)) : [];
    } catch {
        return [];
    }
}

/** Removes now-empty directories from `file`'s directory up to (not including) `root`. */
function pruneEmptyParents(root: string, file: string): void {
    for (let dir = path.dirname(file); dir.startsWith(`${root}${path.sep}`); dir = path.dirname(dir)) {
        if (!existsSync(dir) || readdirSync(dir).length > 0) {
            return;
        }
        rmdirSync(dir);
    }
}

/** What {@link writeRendered} did. */
export interface WriteOutcome {
    written: string[];
    /** Files an earlier render wrote that this one no longer renders, now deleted. */
    removed: string[];
}

/**
 * Writes the files into `dir` (created if missing) and records them in {@link RENDER_MANIFEST}. Files the
 * previous render recorded there and this one does not write are deleted, with directories left empty by
 * that; nothing else in `dir` is ever touched.
 */
export function writeRendered(dir: string, stack: string, files: readonly RenderedFile[]): WriteOutcome {
    const root = path.resolve(dir);
    const current = new Set(files.map((file) => file.path));
    const removed = previouslyWritten(root).filter((file) => !current.has(file));
    for (const file of removed) {
        const absolute = path.join(root, file);
        rmSync(absolute, { force: true });
        pruneEmptyParents(root, absolute);
    }
    for (const file of files) {
        const absolute = path.join(root, file.path);
        mkdirSync(path.dirname(absolute), { recursive: true });
        writeFileSync(absolute, file.content);
        chmodSync(absolute, file.mode ?? 0o644);
    }
    const manifest: RenderManifest = { tool: "npm run render", stack, files: files.map((file) => file.path) };
    mkdirSync(root, { recursive: true });
    writeFileSync(path.join(root, RENDER_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    return { written: files.map((file) => file.path), removed };
}

/**
 * All files as one stream, like `helm template`: each starts with `---` and a `# Source: <path>` line. Pure.
 */
export function renderStream(files: readonly RenderedFile[]): string {
    return files.map((file) => `---\n# Source: ${file.path}\n${file.content.endsWith("\n") ? file.content : `${file.content}\n`}`).join("");
}
