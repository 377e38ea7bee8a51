/** One file `npm run render` writes: a path relative to the output directory, its text and mode. */
export interface RenderedFile {
    path: string;
    content: string;
    /** @default 0o644 */
    mode?: number;
}

/** `KEY=value` lines of an environment, one per line. Pure. */
export function envFile(env: Readonly<Record<string, string>>): string {
    return `${Object.entries(env)
        .map(([key, value]) => `${key}=${value}`)
        .join("\n")}\n`;
}

/** Files sorted by path, so every output (directory, stdout, JSON) is in one stable order. Pure. */
export function sortedFiles(files: readonly RenderedFile[]): RenderedFile[] {
    return [...files].sort((a, b) => a.path.localeCompare(b.path));
}
