import type { ResolvedStackConfig } from "../stacks/config/resolve";
import { BackendBuilder, BackendNotAvailableError } from "./backend";
import { buildElastiCache } from "./elasticache/builder";
import { buildSelfHosted } from "./selfhosted/backend";
import { buildUpstash } from "./upstash/builder";
import { SELF_HOSTED_PLATFORMS } from "./selfhosted/platforms";

/**
 * The implementation of each backend. A backend missing here has not landed yet: choosing it fails before
 * any resource is registered, never with fake resources.
 */
export const BACKEND_BUILDERS: Partial<Record<ResolvedStackConfig["backend"], BackendBuilder>> = {
    selfhosted: buildSelfHosted,
    elasticache: buildElastiCache,
    upstash: buildUpstash,
};


/**
 * Returns the builder for the stack's backend, or throws {@link BackendNotAvailableError} naming what is
 * missing. Pure: call it before registering anything.
 */
export function backendBuilderFor(config: Pick<ResolvedStackConfig, "backend" | "selfhosted">): BackendBuilder {
    if (config.backend === "selfhosted" && config.selfhosted && SELF_HOSTED_PLATFORMS[config.selfhosted.platform] === undefined) {
        throw new BackendNotAvailableError(`Self-hosted platform "${config.selfhosted.platform}" (redis:selfhosted.platform)`);
    }
    const builder = BACKEND_BUILDERS[config.backend];
    if (builder === undefined) {
        throw new BackendNotAvailableError(`Backend "${config.backend}" (redis:backend)`);
    }
    return builder;
}
