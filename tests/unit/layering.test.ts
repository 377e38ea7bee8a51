import { strict as assert } from "node:assert";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import * as ts from "typescript";

/**
 * The library's layering, enforced: `components/` never imports `stacks/` (nor tools or tests), types
 * included, and everything `components/redisconf/` reaches stays free of Pulumi, so the renderers run in the
 * integration harness without a Pulumi runtime.
 */

const ROOT = resolve(__dirname, "../..");

function tsFiles(dir: string): string[] {
    return readdirSync(dir).flatMap((entry) => {
        const path = join(dir, entry);
        return statSync(path).isDirectory() ? tsFiles(path) : path.endsWith(".ts") ? [path] : [];
    });
}

/** Every module specifier a file imports or re-exports, `import type` and `import("...")` included. */
export function importsOf(text: string): string[] {
    const info = ts.preProcessFile(text, true, true);
    return info.importedFiles.map((file) => file.fileName);
}

/** The file a relative specifier resolves to, or `undefined` for a package. */
function resolveRelative(from: string, specifier: string): string | undefined {
    if (!specifier.startsWith(".")) {
        return undefined;
    }
    const base = resolve(dirname(from), specifier);
    for (const candidate of [`${base}.ts`, join(base, "index.ts"), base]) {
        try {
            if (statSync(candidate).isFile()) {
                return candidate;
            }
        } catch {
            // try the next candidate
        }
    }
    return `${base}.ts`;
}

/** Imports of `files` that leave `allowedRoot` for one of `forbiddenRoots`. */
function forbiddenImports(files: readonly string[], forbiddenRoots: readonly string[]): string[] {
    const found: string[] = [];
    for (const file of files) {
        for (const specifier of importsOf(readFileSync(file, "utf8"))) {
            const target = resolveRelative(file, specifier);
            if (target !== undefined && forbiddenRoots.some((root) => target.startsWith(join(ROOT, root) + "/"))) {
                found.push(`${relative(ROOT, file)} imports ${specifier}`);
            }
        }
    }
    return found;
}

/** Packages reached from `entries` through relative imports, with the chain that reaches each. */
function packagesReached(entries: readonly string[]): Map<string, string> {
    const reached = new Map<string, string>();
    const seen = new Set<string>();
    const queue = entries.map((file) => [file, relative(ROOT, file)] as const);
    while (queue.length > 0) {
        const [file, chain] = queue.shift()!;
        if (seen.has(file)) {
            continue;
        }
        seen.add(file);
        for (const specifier of importsOf(readFileSync(file, "utf8"))) {
            const target = resolveRelative(file, specifier);
            if (target === undefined) {
                reached.set(specifier, chain);
            } else {
                queue.push([target, `${chain} -> ${relative(ROOT, target)}`]);
            }
        }
    }
    return reached;
}

describe("layering", () => {
    it("finds import type, re-exports and dynamic imports (the check can fail)", () => {
        assert.deepEqual(importsOf('import type { A } from "../stacks/a";\nexport { B } from "./b";\nconst c = import("../../stacks/c");'), ["../stacks/a", "./b", "../../stacks/c"]);
    });

    it("components/ never imports stacks/, tools/ or tests/", () => {
        assert.deepEqual(forbiddenImports(tsFiles(join(ROOT, "components")), ["stacks", "tools", "tests"]), []);
    });

    it("components/redisconf reaches no Pulumi package, directly or through what it imports", () => {
        const pulumiPackages = [...packagesReached(tsFiles(join(ROOT, "components/redisconf")))].filter(([name]) => name.startsWith("@pulumi/"));
        assert.deepEqual(pulumiPackages.map(([name, chain]) => `${name} via ${chain}`), []);
    });

    it("examples use the library only, never the stack files", () => {
        assert.deepEqual(forbiddenImports(tsFiles(join(ROOT, "examples")), ["stacks", "tools", "tests"]), []);
    });
});
