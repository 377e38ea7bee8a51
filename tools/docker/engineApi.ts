import { request } from "node:http";

/**
 * A small client of the Docker Engine API over its Unix socket (`DOCKER_HOST=unix://...`, default
 * `/var/run/docker.sock`), for the calls the applier and the tests make. API version 1.41 (Docker 20.10), which
 * newer engines still serve. No Docker CLI needed.
 */

/** An error answer of the engine, with its HTTP status. */
export class EngineError extends Error {
    constructor(
        readonly status: number,
        message: string,
    ) {
        super(message);
        this.name = "EngineError";
    }
}

/** Where the engine listens: the path of `DOCKER_HOST` (`unix://` only), else `/var/run/docker.sock`. */
export function engineSocket(env: NodeJS.ProcessEnv = process.env): string {
    const host = env.DOCKER_HOST;
    if (host === undefined || host === "") {
        return "/var/run/docker.sock";
    }
    if (!host.startsWith("unix://")) {
        throw new Error(`DOCKER_HOST=${host}: only unix:// sockets are supported by the Docker engine tests`);
    }
    return host.slice("unix://".length);
}

const API = "/v1.41";

/** The response of one call. */
interface Raw {
    status: number;
    body: Buffer;
}

/** One entry of the engine's container list. */
export interface ContainerSummary {
    Id: string;
    Names: string[];
    State: string;
    Labels: Record<string, string>;
}

/** The Docker Engine API calls used here. */
export class Engine {
    constructor(private readonly socketPath: string = engineSocket()) {}

    private call(method: string, path: string, body?: unknown, options: { contentType?: string; timeoutMs?: number } = {}): Promise<Raw> {
        const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
        return new Promise((resolve, reject) => {
            const req = request(
                {
                    socketPath: this.socketPath,
                    method,
                    path: `${API}${path}`,
                    headers: payload === undefined ? {} : { "Content-Type": options.contentType ?? "application/json", "Content-Length": payload.length },
                },
                (res) => {
                    const chunks: Buffer[] = [];
                    res.on("data", (chunk: Buffer) => chunks.push(chunk));
                    res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
                    res.on("error", reject);
                },
            );
            if (options.timeoutMs !== undefined) {
                req.setTimeout(options.timeoutMs, () => req.destroy(new Error(`${method} ${path}: no answer within ${options.timeoutMs} ms`)));
            }
            req.on("error", reject);
            req.end(payload);
        });
    }

    private async json<T>(method: string, path: string, body?: unknown, okStatuses: number[] = [200, 201, 204, 304]): Promise<T> {
        const raw = await this.call(method, path, body);
        if (!okStatuses.includes(raw.status)) {
            const text = raw.body.toString("utf8");
            let message = text;
            try {
                message = (JSON.parse(text) as { message?: string }).message ?? text;
            } catch {
                // not JSON: keep the text
            }
            throw new EngineError(raw.status, `${method} ${path}: ${raw.status} ${message.trim()}`);
        }
        return (raw.body.length === 0 ? undefined : JSON.parse(raw.body.toString("utf8"))) as T;
    }

    /** Whether the engine answers, and its version. */
    async version(): Promise<string | undefined> {
        try {
            const answer = await this.json<{ Version: string }>("GET", "/version");
            return answer.Version;
        } catch {
            return undefined;
        }
    }

    inspectImage(name: string): Promise<{ Id: string; Config: { Labels?: Record<string, string> } }> {
        return this.json("GET", `/images/${encodeURIComponent(name)}/json`);
    }

    createNetwork(body: Record<string, unknown>): Promise<{ Id: string }> {
        return this.json("POST", "/networks/create", body);
    }

    connectNetwork(network: string, container: string, endpoint: Record<string, unknown>): Promise<void> {
        return this.json("POST", `/networks/${encodeURIComponent(network)}/connect`, { Container: container, EndpointConfig: endpoint });
    }

    disconnectNetwork(network: string, container: string): Promise<void> {
        return this.json("POST", `/networks/${encodeURIComponent(network)}/disconnect`, { Container: container, Force: true });
    }

    removeNetwork(id: string): Promise<void> {
        return this.json("DELETE", `/networks/${encodeURIComponent(id)}`, undefined, [200, 204, 404]);
    }

    listNetworks(label: string): Promise<{ Id: string; Name: string }[]> {
        return this.json("GET", `/networks?filters=${encodeURIComponent(JSON.stringify({ label: [label] }))}`);
    }

    createVolume(body: Record<string, unknown>): Promise<{ Name: string }> {
        return this.json("POST", "/volumes/create", body);
    }

    removeVolume(name: string): Promise<void> {
        return this.json("DELETE", `/volumes/${encodeURIComponent(name)}?force=true`, undefined, [200, 204, 404]);
    }

    async listVolumes(label: string): Promise<{ Name: string }[]> {
        const answer = await this.json<{ Volumes: { Name: string }[] | null }>("GET", `/volumes?filters=${encodeURIComponent(JSON.stringify({ label: [label] }))}`);
        return answer.Volumes ?? [];
    }

    async volumeExists(name: string): Promise<boolean> {
        const raw = await this.call("GET", `/volumes/${encodeURIComponent(name)}`);
        return raw.status === 200;
    }

    createContainer(name: string, body: Record<string, unknown>): Promise<{ Id: string }> {
        return this.json("POST", `/containers/create?name=${encodeURIComponent(name)}`, body);
    }

    /** Extracts a tar archive into the container at `path` (`PUT /containers/{id}/archive`), as `docker cp` does. */
    async putArchive(id: string, path: string, tar: Buffer): Promise<void> {
        const raw = await this.call("PUT", `/containers/${id}/archive?path=${encodeURIComponent(path)}`, tar, { contentType: "application/x-tar" });
        if (raw.status !== 200) {
            throw new EngineError(raw.status, `upload into ${id.slice(0, 12)} at ${path}: ${raw.status} ${raw.body.toString("utf8").trim()}`);
        }
    }

    start(id: string): Promise<void> {
        return this.json("POST", `/containers/${id}/start`);
    }

    stop(id: string, seconds: number): Promise<void> {
        return this.json("POST", `/containers/${id}/stop?t=${seconds}`);
    }

    restart(id: string, seconds: number): Promise<void> {
        return this.json("POST", `/containers/${id}/restart?t=${seconds}`);
    }

    /** `docker update`: a running container's restart policy and resources. */
    updateContainer(id: string, body: Record<string, unknown>): Promise<void> {
        return this.json("POST", `/containers/${id}/update`, body);
    }

    kill(id: string, signal = "KILL"): Promise<void> {
        return this.json("POST", `/containers/${id}/kill?signal=${signal}`);
    }

    remove(id: string): Promise<void> {
        // force: a running container is killed; v: its anonymous volumes go with it (the provider's removeVolumes default).
        return this.json("DELETE", `/containers/${id}?force=true&v=true`, undefined, [200, 204, 404]);
    }

    inspect(id: string): Promise<any> {
        return this.json("GET", `/containers/${encodeURIComponent(id)}/json`);
    }

    /** Waits until the container is not running and returns its exit code. */
    async wait(id: string, timeoutMs: number): Promise<number> {
        const raw = await this.call("POST", `/containers/${id}/wait?condition=not-running`, undefined, { timeoutMs });
        if (raw.status !== 200) {
            throw new EngineError(raw.status, `wait ${id.slice(0, 12)}: ${raw.status} ${raw.body.toString("utf8").trim()}`);
        }
        return (JSON.parse(raw.body.toString("utf8")) as { StatusCode: number }).StatusCode;
    }

    /** The last lines of a container's output (stdout and stderr, demultiplexed). */
    async logs(id: string, tail = 50): Promise<string> {
        const raw = await this.call("GET", `/containers/${id}/logs?stdout=1&stderr=1&tail=${tail}`);
        return demultiplex(raw.body);
    }

    listContainers(label: string): Promise<ContainerSummary[]> {
        return this.json("GET", `/containers/json?all=1&filters=${encodeURIComponent(JSON.stringify({ label: [label] }))}`);
    }

    /** Runs a command in a running container and returns its exit code and output. */
    async exec(id: string, cmd: string[], user?: string): Promise<{ exitCode: number; output: string }> {
        const created = await this.json<{ Id: string }>("POST", `/containers/${id}/exec`, { Cmd: cmd, AttachStdout: true, AttachStderr: true, ...(user === undefined ? {} : { User: user }) });
        const raw = await this.call("POST", `/exec/${created.Id}/start`, { Detach: false, Tty: false });
        const state = await this.json<{ ExitCode: number }>("GET", `/exec/${created.Id}/json`);
        return { exitCode: state.ExitCode, output: demultiplex(raw.body) };
    }
}

/** Joins the frames of Docker's multiplexed stdout/stderr stream (8-byte header per frame). */
export function demultiplex(stream: Buffer): string {
    const parts: Buffer[] = [];
    let offset = 0;
    while (offset + 8 <= stream.length && stream[offset] <= 2 && stream[offset + 1] === 0) {
        const size = stream.readUInt32BE(offset + 4);
        parts.push(stream.subarray(offset + 8, offset + 8 + size));
        offset += 8 + size;
    }
    return offset === 0 ? stream.toString("utf8") : Buffer.concat(parts).toString("utf8");
}
