import { createRequire } from "node:module";

/**
 * Mocha setup for the suites that run Pulumi programs under the mock runtime (`.mocharc.unit.json`,
 * `.mocharc.policies.json`).
 *
 * `@pulumi/pulumi` tags every promise it creates (several per resource, per Output) with `new Error().stack`
 * (`runtime/debuggable.js`), only to print it if the process exits with the promise still pending. Under tsx
 * source maps are on, so each of those traces is mapped frame by frame: profiling the unit suite showed that
 * formatting as over half its time. This wraps `debuggablePromise` so that its trace is taken with
 * `Error.stackTraceLimit = 0` (an empty, free trace) and the previous limit is restored right after: assertion
 * errors, program errors and Pulumi's own resource call sites keep their full stacks. Nothing a test asserts
 * reads these debug traces; only the leak report printed at exit would (and a leak is still reported, just
 * without that trace).
 */

/** The part of `@pulumi/pulumi/runtime/debuggable` this setup replaces. */
interface DebuggableModule {
    debuggablePromise<T>(promise: Promise<T>, context: unknown): Promise<T>;
}

/** Marks a wrapped function so that loading this file twice does not wrap twice. */
const WRAPPED = Symbol.for("redis-platform.cheapDebuggablePromise");

// The same CommonJS module object the rest of @pulumi/pulumi calls through (`debuggable_1.debuggablePromise(...)`).
const debuggable = createRequire(__filename)("@pulumi/pulumi/runtime/debuggable") as DebuggableModule;
const original = debuggable.debuggablePromise as DebuggableModule["debuggablePromise"] & { [WRAPPED]?: true };
if (!original[WRAPPED]) {
    const cheap = <T>(promise: Promise<T>, context: unknown): Promise<T> => {
        const limit = Error.stackTraceLimit;
        Error.stackTraceLimit = 0;
        try {
            return original(promise, context);
        } finally {
            Error.stackTraceLimit = limit;
        }
    };
    debuggable.debuggablePromise = Object.assign(cheap, { [WRAPPED]: true as const });
}
