import { APPLIER_LABEL, sweep } from "./applier";
import { Engine } from "./engineApi";

/**
 * `npm run docker:sweep [-- --json]`: removes every container, network and volume the Docker engine applier
 * created (label `redisplatform.applier.run`) and a crashed test or drill left behind. Never touches other
 * Docker objects. Exit codes: 0 done (something removed or not), 1 the engine failed, 2 usage.
 */

const USAGE = `usage: npm run docker:sweep [-- --json]\n  removes what the Docker engine tests and drill left (label ${APPLIER_LABEL}); --json prints {"removed": [...]} on stdout`;

async function main(argv: string[]): Promise<number> {
    if (argv.includes("--help")) {
        console.log(USAGE);
        return 0;
    }
    if (argv.some((arg) => arg !== "--json")) {
        process.stderr.write(`${USAGE}\n`);
        return 2;
    }
    const engine = new Engine();
    if ((await engine.version()) === undefined) {
        process.stderr.write("docker:sweep: no Docker engine answers; nothing to sweep\n");
        return 1;
    }
    const removed = await sweep(engine);
    process.stderr.write(removed.length === 0 ? "docker:sweep: nothing left behind\n" : `docker:sweep: removed ${removed.join(", ")}\n`);
    if (argv.includes("--json")) {
        console.log(JSON.stringify({ removed }));
    }
    return 0;
}

main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
        process.stderr.write(`docker:sweep failed: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exitCode = 1;
    },
);
