import { OFFLINE_OUTPUTS } from "../offline/answers";
import type { RecordedResource } from "../offline/mockRuntime";
import { Engine, EngineError } from "./engineApi";
import { ContainerPlan, containerPlan, networkBody, uploadTar, volumeBody } from "./providerSpec";
import { STANDIN_SKIPPED, standinTag } from "./standins";
import { planUpdate, UpdatePlan } from "./updatePlan";

/**
 * Applies a stack's recorded resources (a {@link DockerPlan}) to a real Docker engine the way `pulumi up` with
 * `@pulumi/docker` 5.2.0 would: every custom resource once all it depends on exists (the recorded dependencies,
 * explicit and through inputs), concurrently otherwise; containers created, joined to their networks with their
 * aliases, given their uploads (one tar per file at `/`), started, then awaited (exit for `attach`, healthy
 * for `wait`, running for `mustRun`). Destroys in reverse dependency order. {@link AppliedDeployment.update}
 * takes it to the next run of the program as `pulumi up` would (the model and its limits: updatePlan.ts).
 * Every object it creates also
 * carries the label {@link APPLIER_LABEL}, so a sweep finds what a crashed run left.
 */

/** The label key on every object the applier creates; its value is the run id. */
export const APPLIER_LABEL = "redisplatform.applier.run";

const TYPES = {
    container: "docker:index/container:Container",
    network: "docker:index/network:Network",
    volume: "docker:index/volume:Volume",
    image: "docker:index/remoteImage:RemoteImage",
} as const;

/** Resource types whose outputs the mock run already computed (key material, passwords): nothing to apply. */
const COMPUTED_TYPES = [
    "tls:index/privateKey:PrivateKey",
    "tls:index/selfSignedCert:SelfSignedCert",
    "tls:index/certRequest:CertRequest",
    "tls:index/locallySignedCert:LocallySignedCert",
    "random:index/randomPassword:RandomPassword",
    // The engine guard holds no Docker object: its check runs at preview against the previous state, which a
    // first apply does not have (components/selfhosted/engineGuard.ts).
    "pulumi-nodejs:dynamic/redisplatform:EngineVersionGuard",
];

/** One applied resource. */
export interface AppliedResource {
    resource: RecordedResource;
    /** The Docker object's id (container, network), name (volume) or image id. */
    id?: string;
    /** Why it was not applied (an image with no stand-in). */
    skipped?: string;
    /** Attached (one-shot) containers: the exit code and, with `logs`, the output. */
    exitCode?: number;
    logs?: string;
    plan?: ContainerPlan;
}

/** One thing {@link AppliedDeployment.update} did to the engine (`deleted <name>`, `created <name>`, `updated <name> (<inputs>)`), and when, in ms since it began. */
export interface JournalEntry {
    atMs: number;
    what: string;
}

/** Progress lines go here (stderr by default). */
export type Say = (line: string) => void;

/** The fake id the mock runtime gave a custom resource; inputs referring to it carry this text. */
function mockIdOf(resource: RecordedResource): string {
    if (resource.type === TYPES.image) {
        return String(OFFLINE_OUTPUTS[TYPES.image]!(resource.name, resource.inputs).imageId);
    }
    return `${resource.name}-id`;
}

function mentions(value: unknown, text: string): boolean {
    if (typeof value === "string") {
        return value === text || value === `container:${text}`;
    }
    if (value !== null && typeof value === "object") {
        return Object.values(value).some((inner) => mentions(inner, text));
    }
    return false;
}

function substitute(value: unknown, ids: ReadonlyMap<string, string>): any {
    if (typeof value === "string") {
        if (ids.has(value)) {
            return ids.get(value);
        }
        if (value.startsWith("container:") && ids.has(value.slice("container:".length))) {
            return `container:${ids.get(value.slice("container:".length))}`;
        }
        return value;
    }
    if (Array.isArray(value)) {
        return value.map((inner) => substitute(inner, ids));
    }
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, substitute(inner, ids)]));
    }
    return value;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A deployment applied to the engine; {@link destroy} removes it. */
export class AppliedDeployment {
    /** Applied resources by URN, in registration order. */
    readonly applied = new Map<string, AppliedResource>();
    private readonly ids = new Map<string, string>();

    constructor(
        readonly engine: Engine,
        private resources: readonly RecordedResource[],
        readonly runId: string,
        private readonly say: Say = (line) => process.stderr.write(`${line}\n`),
    ) {}

    /** The applied containers, by Docker name. */
    containers(): Map<string, AppliedResource> {
        return new Map([...this.applied.values()].filter((entry) => entry.resource.type === TYPES.container).map((entry) => [String(entry.resource.inputs.name), entry]));
    }

    /** The engine id of a container by its Docker name. */
    containerId(name: string): string {
        const entry = this.containers().get(name);
        if (entry?.id === undefined) {
            throw new Error(`no applied container ${name}`);
        }
        return entry.id;
    }

    private labels(): Record<string, string> {
        return { [APPLIER_LABEL]: this.runId };
    }

    private dependenciesOf(resource: RecordedResource, custom: readonly RecordedResource[]): string[] {
        const explicit = resource.dependencies.filter((urn) => custom.some((other) => other.urn === urn));
        const implicit = custom.filter((other) => other !== resource && mentions(resource.inputs, mockIdOf(other))).map((other) => other.urn);
        return [...new Set([...explicit, ...implicit])];
    }

    /** Applies every resource (an update from nothing); on a failure, waits for what is in flight and throws the first error. */
    async apply(): Promise<void> {
        const resources = this.resources;
        this.resources = [];
        await this.update(resources);
    }

    private async create(entry: AppliedResource): Promise<void> {
        const { resource } = entry;
        const inputs = substitute(resource.inputs, this.ids);
        switch (resource.type) {
            case TYPES.image: {
                const ref = String(inputs.name);
                if (STANDIN_SKIPPED[ref] !== undefined) {
                    entry.skipped = STANDIN_SKIPPED[ref];
                    return;
                }
                try {
                    entry.id = (await this.engine.inspectImage(standinTag(ref))).Id;
                } catch (error) {
                    if (error instanceof EngineError && error.status === 404) {
                        throw new Error(`no local stand-in image ${standinTag(ref)} for ${ref}: run npm run setup (scripts/docker-images.sh builds it)`);
                    }
                    throw error;
                }
                this.ids.set(mockIdOf(resource), entry.id);
                return;
            }
            case TYPES.network:
                entry.id = (await this.engine.createNetwork(networkBody(inputs, this.labels()))).Id;
                this.ids.set(mockIdOf(resource), entry.id);
                return;
            case TYPES.volume:
                entry.id = (await this.engine.createVolume(volumeBody(inputs, this.labels()))).Name;
                return;
            case TYPES.container:
                return this.createContainer(entry, inputs);
            default:
                // Key material, passwords and the engine guard: their outputs were computed by the mock run.
                return;
        }
    }

    private async createContainer(entry: AppliedResource, inputs: Record<string, any>): Promise<void> {
        const image = [...this.applied.values()].find((other) => other.resource.type === TYPES.image && mockIdOf(other.resource) === entry.resource.inputs.image);
        if (image?.skipped !== undefined) {
            entry.skipped = `image ${String(image.resource.inputs.name)}: ${image.skipped}`;
            this.say(`docker: skipped ${String(inputs.name)} (${entry.skipped})`);
            return;
        }
        const plan = containerPlan(inputs, this.labels());
        entry.plan = plan;
        const id = (await this.engine.createContainer(plan.name, plan.body)).Id;
        entry.id = id;
        this.ids.set(mockIdOf(entry.resource), id);
        if (plan.networks.length > 0) {
            await this.engine.disconnectNetwork("bridge", id).catch(() => undefined);
            for (const network of plan.networks) {
                await this.engine.connectNetwork(network.name, id, { Aliases: network.aliases });
            }
        }
        for (const upload of plan.uploads) {
            await this.engine.putArchive(id, "/", uploadTar(upload));
        }
        if (!plan.start) {
            return;
        }
        await this.engine.start(id);
        if (plan.attach) {
            entry.exitCode = await this.engine.wait(id, 600000);
            if (plan.logs) {
                entry.logs = await this.engine.logs(id, 200);
            }
            this.say(`docker: ${plan.name} ran and exited ${entry.exitCode}`);
            return;
        }
        if (plan.wait) {
            await this.waitHealthy(plan.name, id, plan.waitTimeoutSeconds * 1000);
            this.say(`docker: ${plan.name} healthy`);
            return;
        }
        if (plan.mustRun) {
            await sleep(500);
            const state = (await this.engine.inspect(id)).State;
            if (state.Running !== true) {
                throw new Error(`container ${plan.name} is not running after start (exit ${state.ExitCode}): ${await this.engine.logs(id, 20)}`);
            }
        }
        this.say(`docker: ${plan.name} running`);
    }

    /** Polls a container's health until `healthy`, as the provider's `wait` does. */
    async waitHealthy(name: string, id: string, timeoutMs: number): Promise<void> {
        const deadline = Date.now() + timeoutMs;
        let status = "unknown";
        while (Date.now() < deadline) {
            const state = (await this.engine.inspect(id)).State;
            status = state.Health?.Status ?? (state.Running ? "running, no health check" : `not running (exit ${state.ExitCode})`);
            if (status === "healthy") {
                return;
            }
            await sleep(500);
        }
        throw new Error(`container ${name} not healthy within ${timeoutMs / 1000} s (${status}); last output:\n${await this.engine.logs(id, 30)}`);
    }

    /** Deletes one applied object as the provider does: a container stopped within `destroyGraceSeconds` (unless attached), then removed with its anonymous volumes. */
    private async removeObject(entry: AppliedResource): Promise<void> {
        const id = entry.id;
        if (id === undefined) {
            return;
        }
        if (entry.resource.type === TYPES.container) {
            if (entry.plan !== undefined && !entry.plan.attach && entry.plan.destroyGraceSeconds > 0) {
                await this.engine.stop(id, entry.plan.destroyGraceSeconds).catch(() => undefined);
            }
            await this.engine.remove(id);
        } else if (entry.resource.type === TYPES.network) {
            await this.engine.removeNetwork(id);
        } else if (entry.resource.type === TYPES.volume) {
            await this.engine.removeVolume(id);
        }
    }

    /**
     * Takes the deployment from the applied run to `next` (another run of the program), as `pulumi up` would
     * (updatePlan.ts): each resource in its turn, once all it depends on is done; unchanged ones stay; a
     * container updated in place gets `docker update` for `restart` and `memory`; a replaced one with
     * `deleteBeforeReplace` is deleted after the previous run's dependents it replaces, then created again;
     * new ones are created; removed ones are deleted last, dependents first. Returns the plan it followed.
     * On a failure, waits for what is in flight and throws the first error (what was done stays done).
     * `journal` lists what was done to the engine, in order.
     */
    async update(next: readonly RecordedResource[]): Promise<{ plan: UpdatePlan; journal: JournalEntry[] }> {
        const unknown = next.filter((resource) => resource.custom && !COMPUTED_TYPES.includes(resource.type) && !Object.values(TYPES).includes(resource.type as never));
        if (unknown.length > 0) {
            throw new Error(`the Docker engine applier does not know ${[...new Set(unknown.map((resource) => resource.type))].join(", ")}`);
        }
        const plan = planUpdate(this.resources, next);
        const journal: JournalEntry[] = [];
        const started = Date.now();
        const note = (what: string) => journal.push({ atMs: Date.now() - started, what });
        const previous = new Map(this.applied);
        const deleted = new Set<string>();
        const deleteOld = async (urn: string): Promise<void> => {
            const entry = previous.get(urn);
            if (entry === undefined || deleted.has(urn)) {
                return;
            }
            if (plan.protectedDeletes.includes(urn)) {
                // What the Pulumi engine answers for a protected resource a step would delete (or replace).
                throw new Error(`resource ${urn} cannot be deleted because it is protected: pulumi state unprotect it first`);
            }
            deleted.add(urn);
            if (this.applied.get(urn) === entry) {
                this.applied.delete(urn);
            }
            await this.removeObject(entry);
            note(`deleted ${String(entry.resource.inputs.name ?? entry.resource.name)}`);
        };
        const custom = next.filter((resource) => resource.custom);
        const done = new Map<string, Promise<void>>();
        const errors: unknown[] = [];
        const stepOne = async (resource: RecordedResource): Promise<void> => {
            await Promise.all(this.dependenciesOf(resource, custom).map((urn) => done.get(urn)));
            const op = plan.ops.get(resource.urn);
            const before = previous.get(resource.urn);
            if ((op === "same" || op === "update") && before !== undefined && !deleted.has(resource.urn)) {
                const entry: AppliedResource = { ...before, resource };
                this.applied.set(resource.urn, entry);
                const keys = plan.changed.get(resource.urn) ?? [];
                if (op === "update" && entry.id !== undefined && resource.type === TYPES.container) {
                    entry.plan = containerPlan(substitute(resource.inputs, this.ids), this.labels());
                    if (keys.includes("restart") || keys.includes("memory")) {
                        await this.engine.updateContainer(entry.id, { RestartPolicy: entry.plan.body.HostConfig.RestartPolicy, Memory: entry.plan.body.HostConfig.Memory ?? 0 });
                    }
                    note(`updated ${entry.plan.name} (${keys.join(", ")})`);
                }
                return;
            }
            if (op === "replace" && resource.deleteBeforeReplace === true) {
                for (const urn of plan.deletedFirst.get(resource.urn) ?? []) {
                    await deleteOld(urn);
                }
                await deleteOld(resource.urn);
            }
            const entry: AppliedResource = { resource };
            this.applied.set(resource.urn, entry);
            await this.create(entry);
            note(`created ${String(resource.inputs.name ?? resource.name)}${entry.exitCode === undefined ? "" : ` (exited ${entry.exitCode})`}`);
        };
        // Registration order is a valid order (a resource is registered after what it takes inputs from), so
        // every dependency's promise exists by the time it is awaited.
        for (const resource of custom) {
            const promise = stepOne(resource);
            promise.catch((error: unknown) => errors.push(error));
            done.set(resource.urn, promise.catch(() => Promise.reject(new Error(`dependency ${resource.name} failed`))));
        }
        await Promise.allSettled(done.values());
        if (errors.length === 0) {
            // Replacements without deleteBeforeReplace, then removed resources: dependents first.
            const leftovers = [...previous.keys()].filter((urn) => !deleted.has(urn) && (plan.removed.includes(urn) || plan.ops.get(urn) === "replace"));
            for (const urn of leftovers.reverse()) {
                await deleteOld(urn).catch((error: unknown) => errors.push(error));
            }
        }
        this.resources = next;
        if (errors.length > 0) {
            throw errors.find((error) => !(error instanceof Error && error.message.startsWith("dependency "))) ?? errors[0];
        }
        return { plan, journal };
    }

    /**
     * Destroys what was applied, dependents first: containers (stopped within `destroyGraceSeconds` unless
     * attached, then removed with their anonymous volumes), then networks and volumes. Images are kept
     * (`keepLocally`).
     */
    async destroy(): Promise<void> {
        const entries = [...this.applied.values()].filter((entry) => entry.id !== undefined);
        const custom = entries.map((entry) => entry.resource);
        const gone = new Map<string, Promise<void>>();
        const destroyOne = async (entry: AppliedResource): Promise<void> => {
            const dependents = entries.filter((other) => this.dependenciesOf(other.resource, custom).includes(entry.resource.urn));
            await Promise.allSettled(dependents.map((other) => gone.get(other.resource.urn)));
            await this.removeObject(entry);
        };
        // Reverse registration order: dependents were registered later, so their promises exist first.
        for (const entry of [...entries].reverse()) {
            gone.set(entry.resource.urn, destroyOne(entry));
        }
        const results = await Promise.allSettled(gone.values());
        const failed = results.find((result): result is PromiseRejectedResult => result.status === "rejected");
        if (failed !== undefined) {
            throw failed.reason;
        }
    }
}

/** Removes every container, network and volume an applier run left (by {@link APPLIER_LABEL}). Returns what it removed. */
export async function sweep(engine: Engine): Promise<string[]> {
    const removed: string[] = [];
    for (const container of await engine.listContainers(APPLIER_LABEL)) {
        await engine.remove(container.Id);
        removed.push(`container ${container.Names[0]}`);
    }
    for (const network of await engine.listNetworks(APPLIER_LABEL)) {
        await engine.removeNetwork(network.Id);
        removed.push(`network ${network.Name}`);
    }
    for (const volume of await engine.listVolumes(APPLIER_LABEL)) {
        await engine.removeVolume(volume.Name);
        removed.push(`volume ${volume.Name}`);
    }
    return removed;
}
