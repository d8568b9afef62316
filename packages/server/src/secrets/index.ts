export { createSecretBox } from './secret-box.ts';
export type { SecretBox } from './secret-box.ts';
export { parseMasterKey, generateMasterKey, masterKeyId, MASTER_KEY_BYTES } from './master-key.ts';
export { SecretsError, SECRETS_ERRORS } from './errors.ts';
export type { SecretsErrorCode } from './errors.ts';
