import type { ResourceValidationPolicy } from "@pulumi/policy";
import { largePublicRange, PUBLIC_RANGE_CONFIG, PublicRangeLimits } from "./lib/cidr";
import { resourceRule } from "./lib/define";
import { UPSTASH } from "./lib/types";
import { numeric, show, strings } from "./lib/values";

const DATABASE = [UPSTASH.redisDatabase];

/** Upstash accepts plain connections unless TLS is set, and an unset value makes the provider churn. */
export const upstashTls = resourceRule({
    name: "upstash-tls",
    description: "Upstash databases set tls: true explicitly.",
    enforcementLevel: "mandatory",
    types: DATABASE,
    check: (props, report) => {
        if (props.tls !== true) {
            report(`tls is ${show(props.tls)}: set it to true so passwords and data never cross the internet in plain text`);
        }
    },
});

/** Pay-as-you-go databases bill per request: a runaway client becomes a runaway invoice. */
export const upstashBudget = resourceRule<{ maximumUsd: number }>({
    name: "upstash-budget",
    description: "Upstash databases set a monthly budget of at most `maximumUsd` dollars.",
    enforcementLevel: "advisory",
    config: { maximumUsd: { type: "integer", default: 1000, description: "The largest monthly budget, in US dollars, accepted without review." } },
    types: DATABASE,
    check: (props, report, config) => {
        const budget = numeric(props.budget);
        if (budget === undefined || budget <= 0) {
            report(`budget is ${show(props.budget)}: set a monthly cap in US dollars`);
        } else if (budget > config.maximumUsd) {
            report(`budget is ${budget}: more than the ${config.maximumUsd} USD accepted without review`);
        }
    },
});

/** An Upstash endpoint is on the internet; the allowlist is the only network control. */
export const upstashIpAllowlist = resourceRule<PublicRangeLimits>({
    name: "upstash-ip-allowlist",
    description: "Upstash databases accept connections only from an IP allowlist that covers no large public range (prod).",
    enforcementLevel: "mandatory",
    config: PUBLIC_RANGE_CONFIG,
    types: DATABASE,
    check: (props, report, config) => {
        const allowed = strings(props.ipAllowlists);
        if (allowed.length === 0) {
            report("ipAllowlists is empty: list the application's egress addresses");
            return;
        }
        const open = largePublicRange(allowed, config);
        if (open !== undefined) {
            report(`ipAllowlists covers a large public range: ${open}: list only the application's egress addresses`);
        }
    },
});

/** Every Upstash rule. */
export const UPSTASH_RULES: ResourceValidationPolicy[] = [upstashTls, upstashBudget, upstashIpAllowlist];
