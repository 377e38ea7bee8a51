import { sweep } from "../../tools/docker/applier";
import { Engine } from "../../tools/docker/engineApi";
import { EngineDeployment } from "../../tools/docker/engineDeployment";
import type { StackVariant } from "../../tools/docker/plan";

/**
 * Shared set-up of the Docker engine suites: find the engine (or skip the suite with a loud notice), sweep
 * what an earlier crashed run left, apply the stack, and always destroy it and sweep again afterwards.
 */

let noticed = false;

/** The engine, or `undefined` after printing a loud notice that the suite is skipped. */
export async function engineOrNotice(): Promise<Engine | undefined> {
    const engine = new Engine();
    if ((await engine.version()) !== undefined) {
        return engine;
    }
    if (!noticed) {
        noticed = true;
        const line = "#".repeat(100);
        process.stderr.write(
            `\n${line}\n# NO DOCKER ENGINE answers on ${process.env.DOCKER_HOST ?? "/var/run/docker.sock"}: the Docker platform suites are SKIPPED.\n` +
                "# Unproven here: the dev stack's containers on a real engine (see docs/docker.md). Run `npm run setup` as root to install and start one.\n" +
                `${line}\n\n`,
        );
    }
    return undefined;
}

/** Mocha hooks that bring a stack up on the engine before the suite and always tear it down after. */
export function onEngine(stack: string | StackVariant): { get(): EngineDeployment; engine(): Engine } {
    let engine: Engine | undefined;
    let deployment: EngineDeployment | undefined;
    before(async function () {
        engine = await engineOrNotice();
        if (engine === undefined) {
            this.skip();
        }
        const left = await sweep(engine);
        if (left.length > 0) {
            process.stderr.write(`swept what an earlier run left: ${left.join(", ")}\n`);
        }
        deployment = await EngineDeployment.up(stack, engine, () => undefined);
    });
    after(async function () {
        if (engine === undefined) {
            return;
        }
        try {
            await deployment?.destroy();
        } finally {
            await sweep(engine);
        }
    });
    return {
        get: () => {
            if (deployment === undefined) {
                throw new Error("the deployment is not up");
            }
            return deployment;
        },
        engine: () => engine as Engine,
    };
}
