import type { z } from "zod";

/** Any zod schema, as the internals see it. */
export type AnySchema = z.core.$ZodType;

const WRAPPERS = new Set(["optional", "default", "prefault", "nullable", "readonly", "catch"]);

/** The schema inside `.optional()`, `.default()` and the like: the one that decides the value's shape. */
export function unwrapSchema(schema: AnySchema): AnySchema {
    let current = schema;
    while (WRAPPERS.has(current._zod.def.type)) {
        current = (current._zod.def as unknown as { innerType: AnySchema }).innerType;
    }
    return current;
}

/** The parts of a schema's definition the walkers read. */
export type SchemaDef = { type: string; shape?: Record<string, AnySchema>; element?: AnySchema; valueType?: AnySchema };

/** A schema's definition, typed for walking objects, arrays and records. */
export function schemaDef(schema: AnySchema): SchemaDef {
    return schema._zod.def as unknown as SchemaDef;
}
