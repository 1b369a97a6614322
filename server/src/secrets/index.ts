// The secrets module's public surface. Callers store paths (e.g. `proxmox/<cluster>/api-token`) in
// the database and the values here.
export {
  SecretError,
  isSecretError,
  DEFAULT_MAX_VERSIONS,
  MAX_SECRET_BYTES,
  type SecretErrorCode,
  type SecretData,
  type SecretValue,
  type SecretVersionInfo,
  type SecretStore,
  type SecretStoreHealth,
} from './secret-store.js';
export { LocalSecretStore, type SqlClient, type LocalSecretStoreOptions } from './local-secret-store.js';
export { loadSecretKey, decodeSecretKey, SECRET_KEY_BYTES } from './secret-key.js';
export {
  VaultSecretStore,
  type VaultAuth,
  type VaultSecretStoreOptions,
  type SecretsLogger,
} from './vault-secret-store.js';
export {
  createSecretStore,
  parseSecretsConfig,
  type SecretsConfig,
  type SecretStoreDeps,
} from './create-secret-store.js';
