export { createSecretBox } from './secret-box.ts';
export type { SecretBox, SecretBoxOptions } from './secret-box.ts';
export { parseMasterKey, generateMasterKey, masterKeyId, MASTER_KEY_BYTES } from './master-key.ts';
export { SecretsError, SECRETS_ERRORS } from './errors.ts';
export type { SecretsErrorCode } from './errors.ts';
export { secretFingerprint } from './fingerprint.ts';
export {
  SECRET_KINDS,
  putTenantSecret,
  listTenantSecrets,
  deleteTenantSecret,
  readTenantSecret,
  readProviderKey,
} from './tenant-secrets.ts';
export type { SecretKind, TenantSecretView, PutSecretInput } from './tenant-secrets.ts';
export { putProviderKey, listProviderKeys, deleteProviderKey, providerKeyName } from './provider-keys.ts';
export type { ProviderKeyView } from './provider-keys.ts';
export {
  listPlatformProviders,
  putPlatformProvider,
  deletePlatformProvider,
  openPlatformProviderKey,
  readPlatformProviderKey,
  rewrapPlatformProviderKeys,
  platformProviderContext,
} from './platform-providers.ts';
export type {
  PlatformProviderView,
  PutPlatformProviderInput,
  PlatformProviderChange,
} from './platform-providers.ts';
