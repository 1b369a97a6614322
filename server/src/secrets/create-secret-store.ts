// Chooses the secret store: Vault when VAULT_ADDR is configured, the local encrypted store otherwise.
// Once any Vault variable is set, Vault it is: a missing or malformed setting is an error at start,
// never a quiet switch to the local store.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { LocalSecretStore, type SqlClient } from './local-secret-store.js';
import { SecretError, type SecretStore } from './secret-store.js';
import { VaultSecretStore, type SecretsLogger, type VaultAuth } from './vault-secret-store.js';

export type SecretsConfig =
  | {
      driver: 'vault';
      vault: {
        address: string;
        auth: VaultAuth;
        mount: string;
        prefix: string;
        namespace?: string;
        /** Path of a PEM bundle to trust (VAULT_CACERT). */
        caCertFile?: string;
      };
    }
  | { driver: 'local'; local: { envKey?: string; keyFile: string; previousKeys?: string[] } };

const optional = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const envSchema = z.object({
  VAULT_ADDR: optional.pipe(z.url({ protocol: /^https?$/, error: 'VAULT_ADDR must be an http(s) URL' }).optional()),
  VAULT_TOKEN: optional,
  VAULT_ROLE_ID: optional,
  VAULT_SECRET_ID: optional,
  VAULT_APPROLE_MOUNT: optional,
  VAULT_KV_MOUNT: optional,
  VAULT_PATH_PREFIX: optional,
  VAULT_NAMESPACE: optional,
  VAULT_CACERT: optional,
  SECRETS_KEY: optional,
  SECRETS_KEY_FILE: optional,
  SECRETS_PREVIOUS_KEYS: optional,
});

/** Reads the secrets settings from the environment; throws INVALID listing every problem. */
export function parseSecretsConfig(env: Record<string, string | undefined>): SecretsConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw SecretError.invalid(
      `Secrets configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  const e = parsed.data;
  const vaultVars = (['VAULT_TOKEN', 'VAULT_ROLE_ID', 'VAULT_SECRET_ID'] as const).filter((name) => e[name]);
  if (!e.VAULT_ADDR) {
    if (vaultVars.length > 0) {
      throw SecretError.invalid(
        `Secrets configuration: ${vaultVars.join(', ')} set but VAULT_ADDR is not; set VAULT_ADDR to use Vault, or unset them for the local store.`,
      );
    }
    const previousKeys = e.SECRETS_PREVIOUS_KEYS?.split(',')
      .map((k) => k.trim())
      .filter(Boolean);
    return {
      driver: 'local',
      local: {
        envKey: e.SECRETS_KEY,
        keyFile: e.SECRETS_KEY_FILE ?? '.data/secrets.key',
        ...(previousKeys?.length ? { previousKeys } : {}),
      },
    };
  }
  let auth: VaultAuth;
  if (e.VAULT_ROLE_ID || e.VAULT_SECRET_ID) {
    if (e.VAULT_TOKEN) {
      throw SecretError.invalid(
        'Secrets configuration: set either VAULT_TOKEN or VAULT_ROLE_ID + VAULT_SECRET_ID, not both.',
      );
    }
    if (!e.VAULT_ROLE_ID || !e.VAULT_SECRET_ID) {
      throw SecretError.invalid('Secrets configuration: AppRole login needs both VAULT_ROLE_ID and VAULT_SECRET_ID.');
    }
    auth = {
      method: 'approle',
      roleId: e.VAULT_ROLE_ID,
      secretId: e.VAULT_SECRET_ID,
      mountPath: e.VAULT_APPROLE_MOUNT,
    };
  } else if (e.VAULT_TOKEN) {
    auth = { method: 'token', token: e.VAULT_TOKEN };
  } else {
    throw SecretError.invalid(
      'Secrets configuration: VAULT_ADDR is set but no credentials: set VAULT_ROLE_ID + VAULT_SECRET_ID (AppRole) or VAULT_TOKEN.',
    );
  }
  return {
    driver: 'vault',
    vault: {
      address: e.VAULT_ADDR,
      auth,
      mount: e.VAULT_KV_MOUNT ?? 'secret',
      prefix: e.VAULT_PATH_PREFIX ?? 'pvepaas/',
      namespace: e.VAULT_NAMESPACE,
      caCertFile: e.VAULT_CACERT,
    },
  };
}

export interface SecretStoreDeps {
  /** The database, for the local store (a pg.Pool, or an adapter over MikroORM's connection). */
  sql?: SqlClient;
  logger?: SecretsLogger;
}

/** Builds the configured store. Opens no connection to Vault: the first call (or health()) logs in. */
export async function createSecretStore(config: SecretsConfig, deps: SecretStoreDeps = {}): Promise<SecretStore> {
  if (config.driver === 'vault') {
    const { caCertFile, ...vault } = config.vault;
    let caCert: string | undefined;
    if (caCertFile) {
      try {
        caCert = await readFile(caCertFile, 'utf8');
      } catch (error) {
        throw SecretError.invalid(`VAULT_CACERT ${caCertFile} cannot be read: ${(error as Error).message}`);
      }
    }
    return new VaultSecretStore({ ...vault, caCert, logger: deps.logger });
  }
  if (!deps.sql) {
    throw SecretError.invalid(
      'The local secret store needs the database (deps.sql); configure VAULT_ADDR to use Vault instead.',
    );
  }
  return LocalSecretStore.open({ sql: deps.sql, ...config.local });
}
