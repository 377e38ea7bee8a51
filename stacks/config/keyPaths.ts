import { SECRET_CONFIG_KEYS } from "./secretKeys";
import { AnySchema, schemaDef, unwrapSchema } from "./zodWalk";

/**
 * Every key path a schema accepts, as `pulumi config set --path` spells it (`selfhosted.docker.basePort`,
 * `acl.users[].name`, `acl.rotation.<user>.generation`), objects before their keys. Used to keep the
 * README's config reference complete.
 */
export function schemaKeyPaths(schema: AnySchema, prefix = ""): string[] {
    const def = schemaDef(unwrapSchema(schema));
    if (def.type === "object" && def.shape) {
        return Object.entries(def.shape).flatMap(([key, child]) => {
            const path = prefix === "" ? key : `${prefix}.${key}`;
            return [path, ...schemaKeyPaths(child, path)];
        });
    }
    if (def.type === "array" && def.element) {
        return schemaKeyPaths(def.element, `${prefix}[]`);
    }
    if (def.type === "record" && def.valueType) {
        return schemaKeyPaths(def.valueType, `${prefix}.<name>`);
    }
    return [];
}

/** Every config key this program reads, plain and secret, with the `redis:` namespace. */
export function allConfigKeys(schema: AnySchema, namespace: string): string[] {
    return [...schemaKeyPaths(schema), ...Object.keys(SECRET_CONFIG_KEYS)].map((path) => `${namespace}:${path}`);
}
