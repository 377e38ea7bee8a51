import { Header } from "tar";

/**
 * How `@pulumi/docker` 5.2.0 turns the inputs of a `docker.Container`, `docker.Network` and `docker.Volume`
 * into Docker Engine API calls, reproduced for the inputs this program uses. Pure: the applier feeds recorded
 * inputs in and sends what comes out. Any input not listed here is refused, so a program change the applier
 * would silently ignore fails the Docker engine tests instead.
 */

/** The container inputs reproduced, all others are refused. */
export const CONTAINER_INPUTS = [
    "name", "image", "entrypoints", "command", "envs", "user", "workingDir", "networkMode", "networksAdvanced", "ports", "volumes", "uploads",
    "readOnly", "capabilities", "securityOpts", "tmpfs", "memory", "cpus", "ulimits", "restart", "stopTimeout", "destroyGraceSeconds",
    "healthcheck", "wait", "waitTimeout", "labels", "attach", "logs", "mustRun", "start", "pidMode",
] as const;

/** One file the provider uploads before start: one tar archive per file, extracted at `/`. */
export interface UploadArchive {
    file: string;
    content: string;
    mode: number;
    uid: number;
    gid: number;
}

/** What creating one container takes, in the provider's order. */
export interface ContainerPlan {
    name: string;
    /** The body of `POST /containers/create`. */
    body: { [key: string]: any };
    /** Networks joined after create (`networksAdvanced`), the default bridge left first. */
    networks: { name: string; aliases: string[] }[];
    uploads: UploadArchive[];
    /** `start` (default true). */
    start: boolean;
    /** `attach`: wait for the container to exit; `logs` keeps its output. */
    attach: boolean;
    logs: boolean;
    /** `mustRun` (default true): the container must be running after create. */
    mustRun: boolean;
    /** `wait`: poll until the health check reports healthy, at most `waitTimeoutSeconds` (default 60). */
    wait: boolean;
    waitTimeoutSeconds: number;
    /** `destroyGraceSeconds`: stop with this timeout before removal (not for attached containers). */
    destroyGraceSeconds: number;
}

/** A label list (`[{ label, value }]`) as the engine takes it. */
export function labelMap(labels: readonly { label: string; value: string }[] | undefined, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
    return { ...Object.fromEntries((labels ?? []).map(({ label, value }) => [label, value])), ...extra };
}

/** Nanoseconds of a Go duration (`5s`, `2m0s`, `1h30m`, `500ms`), as the provider parses healthcheck durations. */
export function goDurationNanos(text: string): number {
    const units: Record<string, number> = { ns: 1, us: 1e3, "µs": 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
    const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
    if (parts.length === 0 || parts.map((part) => part[0]).join("") !== text) {
        throw new Error(`duration "${text}": not a Go duration such as 5s or 2m0s`);
    }
    return Math.round(parts.reduce((sum, part) => sum + Number(part[1]) * units[part[2]], 0));
}

/** The mode of an upload: `permissions` (octal) when set, else 0744 when `executable`, else 0644. */
export function uploadMode(upload: { permissions?: string; executable?: boolean }): number {
    if (upload.permissions !== undefined) {
        if (!/^0?[0-7]{3,4}$/.test(upload.permissions)) {
            throw new Error(`upload permissions "${upload.permissions}": not an octal mode`);
        }
        return parseInt(upload.permissions, 8);
    }
    return upload.executable === true ? 0o744 : 0o644;
}

function numericId(value: string | undefined, what: string): number {
    if (value === undefined) {
        return 0;
    }
    if (!/^\d+$/.test(value)) {
        throw new Error(`upload ${what} "${value}": only numeric ids are reproduced (the provider resolves names on the host running Pulumi)`);
    }
    return Number(value);
}

/** The tar archive of one upload: a single file entry at its absolute path, extracted at `/`. */
export function uploadTar(upload: UploadArchive): Buffer {
    const content = Buffer.from(upload.content, "utf8");
    const header = new Header({ path: upload.file.replace(/^\/+/, ""), mode: upload.mode, uid: upload.uid, gid: upload.gid, size: content.length, mtime: new Date(0), type: "File" });
    if (header.encode()) {
        throw new Error(`upload ${upload.file}: the path needs a PAX header, which this applier does not write`);
    }
    const padding = Buffer.alloc((512 - (content.length % 512)) % 512);
    return Buffer.concat([header.block as Buffer, content, padding, Buffer.alloc(1024)]);
}

/**
 * The container plan of recorded `docker.Container` inputs. `extraLabels` are added to the container's labels
 * (the applier marks what it created, so stragglers can be swept).
 *
 * @throws Error naming the container and the input when an input is not reproduced
 */
export function containerPlan(inputs: Readonly<Record<string, any>>, extraLabels: Readonly<Record<string, string>> = {}): ContainerPlan {
    const name = String(inputs.name);
    const unknown = Object.keys(inputs).filter((key) => !(CONTAINER_INPUTS as readonly string[]).includes(key));
    if (unknown.length > 0) {
        throw new Error(`container ${name}: input ${unknown.join(", ")} is not reproduced by the Docker engine applier (reproduced: ${CONTAINER_INPUTS.join(", ")})`);
    }
    const exposed: Record<string, object> = {};
    const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
    for (const port of inputs.ports ?? []) {
        const key = `${port.internal}/${port.protocol ?? "tcp"}`;
        exposed[key] = {};
        bindings[key] = [...(bindings[key] ?? []), { HostIp: port.ip ?? "0.0.0.0", HostPort: port.external === undefined ? "" : String(port.external) }];
    }
    const anonymous: Record<string, object> = {};
    const binds: string[] = [];
    for (const volume of inputs.volumes ?? []) {
        if (volume.fromContainer !== undefined) {
            throw new Error(`container ${name}: volumes.fromContainer is not reproduced`);
        }
        const source = volume.volumeName ?? volume.hostPath;
        if (source === undefined) {
            anonymous[volume.containerPath] = {};
        } else {
            binds.push(`${source}:${volume.containerPath}${volume.readOnly === true ? ":ro" : ""}`);
        }
    }
    const health = inputs.healthcheck;
    const body = {
        Image: inputs.image,
        ...(inputs.entrypoints === undefined ? {} : { Entrypoint: inputs.entrypoints }),
        ...(inputs.command === undefined ? {} : { Cmd: inputs.command }),
        ...(inputs.envs === undefined ? {} : { Env: inputs.envs }),
        ...(inputs.user === undefined ? {} : { User: inputs.user }),
        ...(inputs.workingDir === undefined ? {} : { WorkingDir: inputs.workingDir }),
        ...(Object.keys(exposed).length === 0 ? {} : { ExposedPorts: exposed }),
        ...(Object.keys(anonymous).length === 0 ? {} : { Volumes: anonymous }),
        ...(inputs.stopTimeout === undefined ? {} : { StopTimeout: inputs.stopTimeout }),
        Labels: labelMap(inputs.labels, extraLabels),
        ...(health === undefined
            ? {}
            : {
                  Healthcheck: {
                      Test: health.tests,
                      ...(health.interval === undefined ? {} : { Interval: goDurationNanos(health.interval) }),
                      ...(health.timeout === undefined ? {} : { Timeout: goDurationNanos(health.timeout) }),
                      ...(health.startPeriod === undefined ? {} : { StartPeriod: goDurationNanos(health.startPeriod) }),
                      ...(health.retries === undefined ? {} : { Retries: health.retries }),
                  },
              }),
        HostConfig: {
            RestartPolicy: { Name: inputs.restart ?? "no", MaximumRetryCount: 0 },
            ReadonlyRootfs: inputs.readOnly === true,
            Init: false,
            ...(inputs.networkMode === undefined ? {} : { NetworkMode: inputs.networkMode }),
            ...(inputs.pidMode === undefined ? {} : { PidMode: inputs.pidMode }),
            ...(Object.keys(bindings).length === 0 ? {} : { PortBindings: bindings }),
            ...(binds.length === 0 ? {} : { Binds: binds }),
            ...(inputs.tmpfs === undefined ? {} : { Tmpfs: inputs.tmpfs }),
            ...(inputs.capabilities === undefined ? {} : { CapAdd: inputs.capabilities.adds ?? [], CapDrop: inputs.capabilities.drops ?? [] }),
            ...(inputs.securityOpts === undefined ? {} : { SecurityOpt: inputs.securityOpts }),
            ...(inputs.memory === undefined ? {} : { Memory: Number(inputs.memory) * 1024 * 1024 }),
            ...(inputs.cpus === undefined ? {} : { NanoCpus: Math.round(Number(inputs.cpus) * 1e9) }),
            ...(inputs.ulimits === undefined ? {} : { Ulimits: inputs.ulimits.map((limit: any) => ({ Name: limit.name, Soft: limit.soft, Hard: limit.hard })) }),
        },
    };
    return {
        name,
        body,
        networks: (inputs.networksAdvanced ?? []).map((network: any) => ({ name: String(network.name), aliases: network.aliases ?? [] })),
        uploads: (inputs.uploads ?? []).map((upload: any) => {
            if (upload.content === undefined) {
                throw new Error(`container ${name}: upload ${upload.file} has no content (contentBase64 and source are not reproduced)`);
            }
            return { file: upload.file, content: upload.content, mode: uploadMode(upload), uid: numericId(upload.owner, "owner"), gid: numericId(upload.group, "group") };
        }),
        start: inputs.start ?? true,
        attach: inputs.attach === true,
        logs: inputs.logs === true,
        mustRun: inputs.mustRun ?? true,
        wait: inputs.wait === true,
        waitTimeoutSeconds: inputs.waitTimeout ?? 60,
        destroyGraceSeconds: inputs.destroyGraceSeconds ?? 0,
    };
}

function refuseUnknown(kind: string, inputs: Readonly<Record<string, any>>, known: readonly string[]): void {
    const unknown = Object.keys(inputs).filter((key) => !known.includes(key));
    if (unknown.length > 0) {
        throw new Error(`${kind} ${String(inputs.name)}: input ${unknown.join(", ")} is not reproduced by the Docker engine applier (reproduced: ${known.join(", ")})`);
    }
}

/** The body of `POST /networks/create` for recorded `docker.Network` inputs. */
export function networkBody(inputs: Readonly<Record<string, any>>, extraLabels: Readonly<Record<string, string>> = {}): Record<string, unknown> {
    refuseUnknown("network", inputs, ["name", "driver", "labels", "internal", "attachable"]);
    return { Name: inputs.name, Driver: inputs.driver ?? "bridge", CheckDuplicate: true, Internal: inputs.internal === true, Attachable: inputs.attachable === true, Labels: labelMap(inputs.labels, extraLabels) };
}

/** The body of `POST /volumes/create` for recorded `docker.Volume` inputs. */
export function volumeBody(inputs: Readonly<Record<string, any>>, extraLabels: Readonly<Record<string, string>> = {}): Record<string, unknown> {
    refuseUnknown("volume", inputs, ["name", "driver", "labels"]);
    return { Name: inputs.name, Driver: inputs.driver ?? "local", Labels: labelMap(inputs.labels, extraLabels) };
}
