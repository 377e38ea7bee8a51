import { connect as netConnect } from "node:net";
import { assertRedisBinaries } from "../../tools/harness/binaries";
import { asDeploymentConfig, LocalConfigOptions, localStackConfig } from "../../tools/harness/config";
import { LocalDeployment } from "../../tools/harness/localDeployment";

/**
 * Starts a local deployment from a `before` hook and stops it once the hook's `describe` block is done,
 * whatever happens. Missing Redis binaries fail the suite with the packages to install: integration tests
 * never skip.
 *
 * @param hook the `before` hook's `this`: the deployment is destroyed by an `after` hook of that hook's suite
 *   (an `after` registered while tests run would land on mocha's root suite and keep the processes running
 *   until the whole run ends)
 */
export async function startDeployment(options: LocalConfigOptions, hook: Mocha.Context): Promise<LocalDeployment> {
    const suite = hook.test?.parent;
    if (suite === undefined) {
        throw new Error("startDeployment: call it from a before hook and pass the hook's this");
    }
    const deployment = await launchDeployment(options);
    suite.afterAll("destroy the local deployment", async () => deployment.destroy());
    return deployment;
}

/** Starts a local deployment the caller must destroy (inside a test, with try/finally). */
export async function launchDeployment(options: LocalConfigOptions): Promise<LocalDeployment> {
    assertRedisBinaries();
    return LocalDeployment.start({ config: asDeploymentConfig(localStackConfig(options)), keepDir: process.env.KEEP_HARNESS === "1" });
}

/**
 * Opens a plaintext TCP connection, sends `payload` and collects whatever comes back for up to `waitMs`.
 * A TLS-only port answers plaintext with nothing (or a TLS alert) and closes the connection.
 */
export function plaintextProbe(port: number, payload = "PING\r\n", waitMs = 1000): Promise<{ reply: string; closed: boolean }> {
    return new Promise((resolve, reject) => {
        const socket = netConnect({ host: "127.0.0.1", port });
        let reply = "";
        let closed = false;
        const finish = () => {
            socket.destroy();
            resolve({ reply, closed });
        };
        const timer = setTimeout(finish, waitMs);
        socket.on("connect", () => socket.write(payload));
        socket.on("data", (data) => (reply += data.toString("latin1")));
        socket.on("close", () => {
            closed = true;
            clearTimeout(timer);
            finish();
        });
        socket.on("error", (error: NodeJS.ErrnoException) => {
            if (error.code === "ECONNREFUSED") {
                clearTimeout(timer);
                socket.destroy();
                reject(error);
            }
        });
    });
}

/** Runs a command and returns its reply, or the error message when Redis refused it. */
export async function attempt(run: () => Promise<unknown>): Promise<{ ok: true; value: unknown } | { ok: false; error: string }> {
    try {
        return { ok: true, value: await run() };
    } catch (error) {
        return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
}

/**
 * Connects a fail-fast client and runs PING, returning the first error the connection reported (TLS and
 * AUTH failures surface as `error` events, the promise only says the connection closed).
 */
export async function connectAndPing(client: { connect(): Promise<void>; ping(): Promise<string>; once(event: "error", listener: (error: Error) => void): unknown }): Promise<{ ok: true } | { ok: false; error: string }> {
    let first: Error | undefined;
    client.once("error", (error: Error) => (first ??= error));
    try {
        await client.connect();
        await client.ping();
        return { ok: true };
    } catch (error) {
        return { ok: false, error: (first ?? (error as Error)).message };
    }
}
