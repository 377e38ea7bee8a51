import { confKind, ConfKind, Directive, parseConf } from "./redisConf";
import { DOCKER, KUBERNETES } from "./types";
import { at, record, records, text } from "./values";

/** One config file a resource delivers to a Redis or sentinel process. */
export interface RenderedFile {
    /** The ConfigMap or Secret key, or the container path of a Docker upload. */
    file: string;
    kind: ConfKind;
    directives: Directive[];
}

function decodeBase64(encoded: unknown): string | undefined {
    return typeof encoded === "string" ? Buffer.from(encoded, "base64").toString("utf8") : undefined;
}

function fromMap(map: unknown, decode: boolean): { file: string; content: string | undefined }[] {
    return Object.entries(record(map) ?? {}).map(([file, content]) => ({ file, content: decode ? decodeBase64(content) : text(content) }));
}

/**
 * Every file a resource delivers into containers, decoded: Kubernetes ConfigMap `data`, Secret `stringData`
 * and `data` (base64), Docker container `uploads` (`content` or `contentBase64`).
 */
export function deliveredFiles(type: string, props: Record<string, any>): { file: string; content: string }[] {
    let raw: { file: string; content: string | undefined }[];
    switch (type) {
        case KUBERNETES.configMap:
            raw = fromMap(props.data, false);
            break;
        case KUBERNETES.secret:
            raw = [...fromMap(props.stringData, false), ...fromMap(props.data, true)];
            break;
        case DOCKER.container:
            raw = records(props.uploads).map((upload) => ({ file: String(upload.file ?? "?"), content: text(upload.content) ?? decodeBase64(upload.contentBase64) }));
            break;
        default:
            return [];
    }
    return raw.filter((entry): entry is { file: string; content: string } => entry.content !== undefined);
}

/** The Redis, sentinel and ACL files a resource carries (see {@link deliveredFiles}); other files are dropped. */
export function renderedFilesOf(type: string, props: Record<string, any>): RenderedFile[] {
    return deliveredFiles(type, props).flatMap(({ file, content }) => {
        const directives = parseConf(content);
        const kind = confKind(directives);
        return kind === "other" ? [] : [{ file, kind, directives }];
    });
}

/** The name a ConfigMap is mounted by (`metadata.name`). */
export function configMapName(props: Record<string, any>): string | undefined {
    return text(at(props, "metadata", "name"));
}
