import * as fs from "node:fs";
import * as path from "node:path";
import * as protobuf from "protobufjs";

/**
 * Checks an Envoy v3 bootstrap (in its proto3 JSON / YAML form) against Envoy's own API protos, strictly:
 * what Envoy's config loader would refuse is reported here. No Envoy binary exists on this machine (Debian
 * bookworm has no `envoy` package, and building one needs Bazel and the network), so this is the proof the
 * rendered `envoy.yaml` gets (docs/proxy.md says what it leaves unproven).
 *
 * The protos are the `envoy-api` (and `xds`, `protoc-gen-validate`, `googleapis`) trees that
 * `@grpc/grpc-js-xds` vendors; protobufjs parses them. Checked: every field exists in its message (unknown
 * fields are errors, as in Envoy's strict loading), scalar types and ranges, enum names, at most one field
 * per oneof and one where the oneof is required, `google.protobuf.Any` whose `@type` names a real message
 * (then checked as that message), well-known types in their JSON form (Duration `"5s"`, wrappers, Struct),
 * fields marked deprecated (Envoy refuses those by default), and the `validate.rules` Envoy enforces that
 * matter here: required messages, string `min_len`, repeated `min_items`, and `uint32` `lte`/`gte`.
 */

const PROTO_ROOTS = ["envoy-api", "xds", "protoc-gen-validate", "googleapis"].map((dir) => path.join(path.dirname(require.resolve("@grpc/grpc-js-xds/package.json")), "deps", dir));
const PROTOBUFJS_ROOT = path.dirname(require.resolve("protobufjs/package.json"));

/** The proto files whose messages a bootstrap of ours refers to (their imports are loaded with them). */
const ENTRY_PROTOS = [
    "envoy/config/bootstrap/v3/bootstrap.proto",
    "envoy/extensions/filters/network/redis_proxy/v3/redis_proxy.proto",
    "envoy/extensions/clusters/redis/v3/redis_cluster.proto",
    "envoy/extensions/transport_sockets/tls/v3/tls.proto",
    "envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager.proto",
    "envoy/extensions/filters/http/router/v3/router.proto",
];

let cached: protobuf.Root | undefined;

/** Envoy's API protos, loaded once (about 0.2 s). */
export function envoyProtos(): protobuf.Root {
    if (cached !== undefined) {
        return cached;
    }
    const root = new protobuf.Root();
    root.resolvePath = (origin, target) => {
        for (const base of [...PROTO_ROOTS, PROTOBUFJS_ROOT]) {
            const candidate = path.join(base, target);
            if (fs.existsSync(candidate)) {
                return candidate;
            }
        }
        return protobuf.util.path.resolve(origin, target);
    };
    root.loadSync(ENTRY_PROTOS, { keepCase: true });
    root.resolveAll();
    cached = root;
    return root;
}

const INTEGER_RANGES: Record<string, [number, number]> = {
    int32: [-(2 ** 31), 2 ** 31 - 1],
    sint32: [-(2 ** 31), 2 ** 31 - 1],
    sfixed32: [-(2 ** 31), 2 ** 31 - 1],
    uint32: [0, 2 ** 32 - 1],
    fixed32: [0, 2 ** 32 - 1],
    int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
    sint64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
    sfixed64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
    uint64: [0, Number.MAX_SAFE_INTEGER],
    fixed64: [0, Number.MAX_SAFE_INTEGER],
};

const WRAPPERS: Record<string, string> = {
    "google.protobuf.BoolValue": "bool",
    "google.protobuf.UInt32Value": "uint32",
    "google.protobuf.Int32Value": "int32",
    "google.protobuf.UInt64Value": "uint64",
    "google.protobuf.Int64Value": "int64",
    "google.protobuf.DoubleValue": "double",
    "google.protobuf.FloatValue": "float",
    "google.protobuf.StringValue": "string",
    "google.protobuf.BytesValue": "bytes",
};

const DURATION = /^-?[0-9]+(\.[0-9]{1,9})?s$/;

/** Where in the document a problem is, as `a.b[0].c`. */
type Path = string;

function fullName(type: protobuf.Type): string {
    return type.fullName.replace(/^\./, "");
}

function option(field: protobuf.Field | protobuf.OneOf, key: string): unknown {
    return field.options?.[key];
}

class Checker {
    readonly problems: string[] = [];
    constructor(private readonly root: protobuf.Root) {}

    private fail(at: Path, message: string): void {
        this.problems.push(`${at || "(root)"}: ${message}`);
    }

    message(type: protobuf.Type, value: unknown, at: Path): void {
        const name = fullName(type);
        if (name === "google.protobuf.Any") {
            return this.any(value, at);
        }
        if (name === "google.protobuf.Duration") {
            if (typeof value !== "string" || !DURATION.test(value)) {
                this.fail(at, `Duration ${JSON.stringify(value)}: must be a string such as "5s" or "0.25s"`);
            }
            return;
        }
        if (name === "google.protobuf.Struct" || name === "google.protobuf.Value") {
            return;
        }
        const wrapped = WRAPPERS[name];
        if (wrapped !== undefined) {
            return this.scalar(wrapped, value, at);
        }
        if (typeof value !== "object" || value === null || Array.isArray(value)) {
            this.fail(at, `${name}: must be an object, got ${JSON.stringify(value)}`);
            return;
        }
        const object = value as Record<string, unknown>;
        for (const [key, inner] of Object.entries(object)) {
            const field = type.fields[key];
            if (field === undefined) {
                this.fail(at, `unknown field "${key}" in ${name} (known: ${Object.keys(type.fields).join(", ")})`);
                continue;
            }
            if (option(field, "deprecated") === true) {
                this.fail(`${at}.${key}`, `field "${key}" of ${name} is deprecated: Envoy refuses deprecated fields by default`);
            }
            this.field(field, inner, `${at ? `${at}.` : ""}${key}`);
        }
        for (const oneof of type.oneofsArray) {
            const set = oneof.oneof.filter((member) => object[member] !== undefined);
            if (set.length > 1) {
                this.fail(at, `oneof ${oneof.name} of ${name} has ${set.join(" and ")}: at most one may be set`);
            }
            if (set.length === 0 && option(oneof, "(validate.required)") === true) {
                this.fail(at, `oneof ${oneof.name} of ${name} is required: set one of ${oneof.oneof.join(", ")}`);
            }
        }
        // A rule on a oneof member applies only when that member is the one set (protoc-gen-validate's semantics).
        for (const field of type.fieldsArray.filter((candidate) => candidate.partOf === null || candidate.partOf === undefined)) {
            if (option(field, "(validate.rules).message.required") === true && object[field.name] === undefined) {
                this.fail(at, `field "${field.name}" of ${name} is required`);
            }
        }
    }

    private field(field: protobuf.Field, value: unknown, at: Path): void {
        if (field.map) {
            if (typeof value !== "object" || value === null || Array.isArray(value)) {
                this.fail(at, "must be a map (object)");
                return;
            }
            for (const [key, inner] of Object.entries(value)) {
                this.single(field, inner, `${at}.${key}`);
            }
            return;
        }
        if (field.repeated) {
            if (!Array.isArray(value)) {
                this.fail(at, `must be a list, got ${JSON.stringify(value)}`);
                return;
            }
            const minItems = option(field, "(validate.rules).repeated.min_items");
            if (typeof minItems === "number" && value.length < minItems) {
                this.fail(at, `must have at least ${minItems} item(s)`);
            }
            value.forEach((inner, index) => this.single(field, inner, `${at}[${index}]`));
            return;
        }
        this.single(field, value, at);
    }

    private single(field: protobuf.Field, value: unknown, at: Path): void {
        const resolved = field.resolvedType;
        if (resolved instanceof protobuf.Type) {
            return this.message(resolved, value, at);
        }
        if (resolved instanceof protobuf.Enum) {
            if (typeof value !== "string" || resolved.values[value] === undefined) {
                this.fail(at, `${JSON.stringify(value)} is not a value of enum ${resolved.name} (${Object.keys(resolved.values).join(", ")})`);
            }
            return;
        }
        this.scalar(field.type, value, at);
        const minLen = option(field, "(validate.rules).string.min_len");
        if (typeof minLen === "number" && typeof value === "string" && value.length < minLen) {
            this.fail(at, `must be at least ${minLen} character(s) long`);
        }
        for (const [rule, holds] of [
            ["(validate.rules).uint32.lte", (limit: number) => (value as number) <= limit],
            ["(validate.rules).uint32.gte", (limit: number) => (value as number) >= limit],
            ["(validate.rules).uint32.gt", (limit: number) => (value as number) > limit],
        ] as const) {
            const limit = option(field, rule);
            if (typeof limit === "number" && typeof value === "number" && !holds(limit)) {
                this.fail(at, `${value} breaks ${rule} ${limit}`);
            }
        }
    }

    private scalar(type: string, value: unknown, at: Path): void {
        const range = INTEGER_RANGES[type];
        if (range !== undefined) {
            // proto3 JSON writes 64-bit integers as strings too.
            const number = typeof value === "string" && type.endsWith("64") && /^-?[0-9]+$/.test(value) ? Number(value) : value;
            if (typeof number !== "number" || !Number.isInteger(number) || number < range[0] || number > range[1]) {
                this.fail(at, `${JSON.stringify(value)} is not a ${type}`);
            }
            return;
        }
        const ok = type === "bool" ? typeof value === "boolean" : type === "double" || type === "float" ? typeof value === "number" : typeof value === "string";
        if (!ok) {
            this.fail(at, `${JSON.stringify(value)} is not a ${type}`);
        }
    }

    private any(value: unknown, at: Path): void {
        if (typeof value !== "object" || value === null || Array.isArray(value)) {
            this.fail(at, "Any: must be an object with @type");
            return;
        }
        const { "@type": url, ...rest } = value as Record<string, unknown>;
        if (typeof url !== "string" || !url.startsWith("type.googleapis.com/")) {
            this.fail(at, `Any: @type ${JSON.stringify(url)} must be type.googleapis.com/<message>`);
            return;
        }
        let type: protobuf.Type;
        try {
            type = this.root.lookupType(url.slice("type.googleapis.com/".length));
        } catch {
            this.fail(at, `Any: @type ${url} names no message of Envoy's API`);
            return;
        }
        this.message(type, rest, at);
    }
}

/**
 * The problems of a value as the message `typeName` (default: the v3 Bootstrap), one line each; empty when it
 * is valid.
 */
export function envoySchemaProblems(value: unknown, typeName = "envoy.config.bootstrap.v3.Bootstrap"): string[] {
    const root = envoyProtos();
    const checker = new Checker(root);
    checker.message(root.lookupType(typeName), value, "");
    return checker.problems;
}
