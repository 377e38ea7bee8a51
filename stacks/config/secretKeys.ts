import { RECEIVER_SECRET, SECRET_NAMES, SecretName } from "../../components/secrets";

/**
 * Config keys under `redis` that hold secrets: one per secret the library takes (see `components/secrets.ts`),
 * each its own key, set with `pulumi config set --secret`, and read only through `config.requireSecret`, so
 * no secret ever travels inside a plain object.
 */
export const SECRET_CONFIG_KEYS = SECRET_NAMES;

/** The name of a secret config key. */
export type SecretConfigKey = SecretName;

/** Whether a key under `redis` is one of the secret keys. */
export function isSecretConfigKey(key: string): key is SecretConfigKey {
    return Object.prototype.hasOwnProperty.call(SECRET_CONFIG_KEYS, key);
}

/** The secret key each alert receiver needs. */
export const RECEIVER_SECRET_KEY = RECEIVER_SECRET;
