import * as pulumi from "@pulumi/pulumi";
import { deserializeProperties, specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { readStackFile } from "../../stacks/config/stackFile";

/** One resource registration as the program made it. */
export interface RecordedResource {
    type: string;
    name: string;
    urn: string;
    /** The parent's URN; the stack itself for top-level resources. */
    parent: string | undefined;
    /** Whether it is a custom (provider) resource rather than a component. */
    custom: boolean;
    /** Inputs with secrets unwrapped. */
    inputs: Record<string, any>;
    /** Top-level input names whose value was sent as a secret. */
    secretInputs: string[];
    protect: boolean;
    additionalSecretOutputs: string[];
    dependencies: string[];
    /** Per input property, the URNs of the resources its value came from (as the engine records them). */
    propertyDependencies?: Record<string, string[]>;
    /** The aliases sent with the registration (`toObject()` of each alias spec): old types, names or parents. */
    aliases?: Record<string, unknown>[];
    /** The provider reference (`<provider urn>::<id>`) the resource was registered with, if any. */
    provider?: string;
    /** The `ignoreChanges` paths it was registered with. */
    ignoreChanges?: string[];
    /** Whether it was registered with `retainOnDelete`. */
    retainOnDelete?: boolean;
    /** Whether it was registered with `deleteBeforeReplace`. */
    deleteBeforeReplace?: boolean;
}

/** A stack output after resolution. */
export interface ResolvedOutput {
    value: unknown;
    secret: boolean;
}

/** What a mocked run produced. */
export interface MockRun<T> {
    result: T | undefined;
    error: unknown;
    resources: RecordedResource[];
}

/** Text the mocks return for generated secrets; tests search outputs for it. */
export const MOCK_SECRET_MARKER = "MOCK-SECRET";

/** Outputs the mocks return per resource type, so secrets are recognisable wherever they leak. */
function mockState(type: string, name: string, inputs: Record<string, any>): Record<string, any> {
    switch (type) {
        case "random:index/randomPassword:RandomPassword":
            return { ...inputs, result: `${MOCK_SECRET_MARKER}-password-${name}` };
        case "tls:index/privateKey:PrivateKey":
            return { ...inputs, privateKeyPem: `-----BEGIN ${MOCK_SECRET_MARKER} KEY ${name}-----`, publicKeyPem: `PUBLIC KEY ${name}` };
        case "tls:index/selfSignedCert:SelfSignedCert":
        case "tls:index/locallySignedCert:LocallySignedCert":
            return { ...inputs, certPem: `-----BEGIN CERTIFICATE ${name}-----` };
        case "tls:index/certRequest:CertRequest":
            return { ...inputs, certRequestPem: `CSR ${name}` };
        // Managed backends: the endpoints and generated credentials their providers return.
        case "aws:elasticache/replicationGroup:ReplicationGroup":
            return {
                ...inputs,
                primaryEndpointAddress: `master.${name}.cache.amazonaws.com`,
                readerEndpointAddress: `replica.${name}.cache.amazonaws.com`,
                configurationEndpointAddress: `clustercfg.${name}.cache.amazonaws.com`,
            };
        case "aws:elasticache/serverlessCache:ServerlessCache":
            return {
                ...inputs,
                endpoints: [{ address: `${name}.serverless.cache.amazonaws.com`, port: 6379 }],
                readerEndpoints: [{ address: `${name}.serverless.cache.amazonaws.com`, port: 6380 }],
            };
        case "upstash:index/redisDatabase:RedisDatabase":
            return {
                ...inputs,
                endpoint: `${name}.upstash.io`,
                port: 6379,
                password: `${MOCK_SECRET_MARKER}-upstash-password-${name}`,
                restToken: `${MOCK_SECRET_MARKER}-upstash-rest-${name}`,
                readOnlyRestToken: `${MOCK_SECRET_MARKER}-upstash-readonly-${name}`,
            };
        default:
            return { ...inputs };
    }
}

/** Options of a mocked run. */
export interface MockOptions {
    stack?: string;
    project?: string;
    /** The config map (`namespace:key` to text). */
    config?: Record<string, string>;
    /** Config keys to mark secret. */
    secretKeys?: string[];
    /** Answers for the only invokes the run may make; any other invoke fails the run. */
    invokes?: Record<string, (args: Record<string, any>, provider?: string) => Record<string, any>>;
    /** Extra outputs per resource type, merged over the defaults. */
    outputs?: Record<string, (name: string, inputs: Record<string, any>) => Record<string, any>>;
}

function isSecretValue(value: unknown): boolean {
    return value !== null && typeof value === "object" && (value as Record<string, unknown>)[specialSigKey] === specialSecretSig;
}

function unwrapSecrets(value: any): any {
    if (isSecretValue(value)) {
        return unwrapSecrets(value.value);
    }
    if (Array.isArray(value)) {
        return value.map(unwrapSecrets);
    }
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, unwrapSecrets(inner)]));
    }
    return value;
}

function propertyDependenciesOf(request: any): Record<string, string[]> {
    const map = request.getPropertydependenciesMap?.();
    const result: Record<string, string[]> = {};
    map?.forEach((dependencies: { getUrnsList(): string[] }, key: string) => {
        result[key] = dependencies.getUrnsList();
    });
    return result;
}

/**
 * Runs `program` under Pulumi's mock runtime, recording every registration (type, name, inputs, parent,
 * secret inputs, protect). Waits until every registration has finished before returning.
 */
export async function runWithMocks<T>(program: () => T, options: MockOptions = {}): Promise<MockRun<T>> {
    const resources: RecordedResource[] = [];
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                const extra = options.outputs?.[args.type]?.(args.name, args.inputs) ?? {};
                return { id: `${args.name}-id`, state: { ...mockState(args.type, args.name, args.inputs), ...extra } };
            },
            call: (args) => {
                const answer = options.invokes?.[args.token];
                if (answer === undefined) {
                    throw new Error(`unexpected invoke ${args.token}`);
                }
                return answer(args.inputs, args.provider);
            },
        },
        options.project ?? "redis-platform",
        options.stack ?? "test",
        false,
    );
    pulumi.runtime.setAllConfig(options.config ?? {}, options.secretKeys ?? []);

    const monitor = settings.getMonitor() as any;
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (request: any, callback: any) => {
        const raw = request.getObject()?.toJavaScript() ?? {};
        resources.push({
            type: request.getType(),
            name: request.getName(),
            urn: "",
            parent: request.getParent() || undefined,
            custom: request.getCustom(),
            inputs: request.getObject() ? unwrapSecrets(deserializeProperties(request.getObject())) : {},
            secretInputs: Object.keys(raw).filter((key) => isSecretValue(raw[key])),
            protect: request.getProtect?.() ?? false,
            additionalSecretOutputs: request.getAdditionalsecretoutputsList?.() ?? [],
            dependencies: request.getDependenciesList?.() ?? [],
            propertyDependencies: propertyDependenciesOf(request),
            provider: request.getProvider?.() || undefined,
            ignoreChanges: request.getIgnorechangesList?.() ?? [],
            retainOnDelete: request.getRetainondelete?.() ?? false,
            deleteBeforeReplace: request.getDeletebeforereplace?.() ?? false,
            aliases: (request.getAliasesList?.() ?? []).map((alias: { toObject(): Record<string, unknown> }) => JSON.parse(JSON.stringify(alias.toObject()))),
        });
        const recorded = resources[resources.length - 1];
        return register(request, (error: unknown, response: any) => {
            recorded.urn = response?.getUrn?.() ?? "";
            callback(error, response);
        });
    };

    let result: T | undefined;
    let error: unknown;
    try {
        result = program();
    } catch (caught) {
        error = caught;
    }
    // Not in the typings, but exported: resolves once every outstanding registration has finished.
    await (settings as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
    return { result, error, resources };
}

/** Resolves an Output (or plain value) with its secret flag. */
export async function resolveOutput(value: unknown): Promise<ResolvedOutput> {
    if (pulumi.Output.isInstance(value)) {
        const output = value as any;
        const [resolved, secret] = await Promise.all([output.promise(), output.isSecret]);
        return { value: resolved, secret };
    }
    return { value, secret: false };
}

/** Resolves every output of a program's result object. */
export async function resolveOutputs(outputs: Record<string, unknown>): Promise<Record<string, ResolvedOutput>> {
    const entries = await Promise.all(Object.entries(outputs).map(async ([key, value]) => [key, await resolveOutput(value)] as const));
    return Object.fromEntries(entries);
}

/**
 * Loads `Pulumi.<stack>.yaml` into the mock runtime and runs the real program on it. Encrypted values in
 * the file become placeholders marked secret; `secrets` adds secret keys the file cannot hold offline
 * (`namespace:key` to value), marked secret too.
 */
export async function runStack(stack: string, options: Omit<MockOptions, "stack" | "config" | "secretKeys"> & { secrets?: Record<string, string> } = {}) {
    const { redisProgram } = await import("../../stacks/program");
    const file = readStackFile(stack);
    // Secrets a stack file cannot hold without the CLI's encryption, supplied by the test as secret config.
    const { secrets = {}, ...mockOptions } = options;
    const config = { ...file.config, ...secrets };
    const secretKeys = [...new Set([...file.secretKeys, ...Object.keys(secrets)])];
    const run = await runWithMocks(() => redisProgram(stack, config), { ...mockOptions, stack, config, secretKeys });
    const outputs = run.result ? await resolveOutputs(run.result as unknown as Record<string, unknown>) : {};
    return { ...run, outputs };
}

/** The resources of one type, in registration order. */
export function ofType(resources: readonly RecordedResource[], type: string): RecordedResource[] {
    return resources.filter((resource) => resource.type === type);
}

/** Finds every string inside a value that contains the mock secret marker. */
export function leakedSecrets(value: unknown): string[] {
    if (typeof value === "string") {
        return value.includes(MOCK_SECRET_MARKER) ? [value] : [];
    }
    if (value !== null && typeof value === "object") {
        return Object.values(value).flatMap(leakedSecrets);
    }
    return [];
}
