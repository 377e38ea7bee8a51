import { dockerPlatform } from "./docker/platform";
import { kubernetesPlatform } from "./kubernetes/platform";
import type { SelfHostedPlatform } from "./platform";

/**
 * The implementation of each self-hosted platform. A platform missing here has not landed yet: choosing it
 * fails before any resource is registered.
 */
export const SELF_HOSTED_PLATFORMS: Partial<Record<"docker" | "kubernetes", SelfHostedPlatform>> = {
    docker: dockerPlatform,
    kubernetes: kubernetesPlatform,
};
