import type { BackendBuilder } from "../backend";
import { ElastiCache } from "./elastiCache";
import { planElastiCache } from "./plan";

/**
 * The `elasticache` backend: plans the stack's `redis:elasticache` section and builds one {@link ElastiCache}
 * under the facade. Rotation state is passed for application users only; system users do not exist here.
 */
export const buildElastiCache: BackendBuilder = (name, config, secrets, parent) => {
    const names = new Set(config.acl.users.map((user) => user.name));
    const cache = new ElastiCache(
        `${name}-elasticache`,
        {
            plan: planElastiCache(name, config),
            users: config.acl.users.map((user) => ({ name: user.name, role: user.role, keys: user.keys, channels: user.channels })),
            passwordLength: config.acl.passwordLength,
            rotation: Object.fromEntries(Object.entries(config.acl.rotation).filter(([user]) => names.has(user))),
            ...(secrets.pagerdutyRoutingKey === undefined ? {} : { pagerdutyIntegrationKey: secrets.pagerdutyRoutingKey }),
        },
        { parent },
    );
    return { connection: cache.connection, credentials: cache.credentials };
};
