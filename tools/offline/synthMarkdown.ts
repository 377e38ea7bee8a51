import type { SynthResource, SynthView } from "./synthView";

/** The command that regenerates a stack's snapshot. */
export function synthCommand(stack: string): string {
    return `npm run synth -- --stack ${stack} --out stacks/snapshots/${stack}.md`;
}

function mermaidLabel(resource: SynthResource): string {
    const shortType = resource.type.split(":").slice(-2).join(":");
    return `${resource.name}<br/>${shortType}`.replace(/"/g, "#quot;");
}

/** A Mermaid flowchart of the resource tree: one node per resource, an edge from each parent to its children. */
export function mermaidDiagram(resources: readonly SynthResource[]): string {
    const ids = new Map<string, string>();
    const key = (type: string, name: string) => `${type}\u0000${name}`;
    const lines = ["graph TD"];
    resources.forEach((resource, index) => {
        ids.set(key(resource.type, resource.name), `n${index}`);
        lines.push(`    n${index}["${mermaidLabel(resource)}"]`);
    });
    // Parents are named, not typed: link each child to the nearest preceding resource of that name, which in tree order is its parent.
    resources.forEach((resource, index) => {
        if (resource.parent === null) {
            return;
        }
        for (let candidate = index - 1; candidate >= 0; candidate--) {
            if (resources[candidate].name === resource.parent && resources[candidate].depth === resource.depth - 1) {
                lines.push(`    n${candidate} --> n${index}`);
                break;
            }
        }
    });
    return lines.join("\n");
}

/** A text in a fence no line of it can close (a run of backticks longer than any inside). Pure. */
export function fenced(content: string): string[] {
    const longest = Math.max(2, ...(content.match(/`+/g) ?? []).map((run) => run.length));
    const fence = "`".repeat(longest + 1);
    return [`${fence}text`, content.replace(/\n$/, ""), fence];
}

/**
 * The snapshot document of a stack: status, topology diagram, every resource with its inputs and, in full,
 * the files and scripts among them that hold no secret (so a pull request shows a config or threshold
 * diff), and the outputs.
 */
export function synthMarkdown(view: SynthView): string {
    const header = [
        `# Stack \`${view.stack}\`: synthesized resources`,
        "",
        `Generated offline from \`Pulumi.${view.stack}.yaml\` by \`${synthCommand(view.stack)}\`, with secrets redacted.`,
        `Do not edit by hand: \`npm run synth -- --stack ${view.stack} --check\` fails when this file is stale.`,
        "",
    ];
    if (view.status !== "ok") {
        return [...header, `**Not synthesized (${view.status}):** ${view.error ?? "unknown error"}`, ""].join("\n");
    }
    const body = [
        `${view.resources.length} resources.`,
        "",
        "## Topology",
        "",
        "```mermaid",
        mermaidDiagram(view.resources),
        "```",
        "",
        "## Resources",
        "",
    ];
    for (const resource of view.resources) {
        body.push(`### \`${resource.name}\` (${resource.type})`, "");
        body.push(`- parent: ${resource.parent === null ? "(stack)" : `\`${resource.parent}\``}${resource.protect ? "\n- protected" : ""}`, "");
        if (Object.keys(resource.inputs).length > 0) {
            body.push("```json", JSON.stringify(resource.inputs, null, 2), "```", "");
        }
        for (const file of resource.files) {
            body.push(`#### \`${resource.name}\` ${file.path}`, "", ...fenced(file.content), "");
        }
    }
    body.push("## Stack outputs", "", "```json", JSON.stringify(view.outputs, null, 2), "```", "");
    return [...header, ...body].join("\n");
}
