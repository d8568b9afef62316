import { createHash, randomBytes } from 'node:crypto';

export const MASTER_KEY_BYTES = 32;

/** A master key decoded from its base64 text (SHOAL_MASTER_KEY); null when it is not 32 bytes. */
export function parseMasterKey(text: string): Buffer | null {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) return null;
  const key = Buffer.from(trimmed, trimmed.includes('-') || trimmed.includes('_') ? 'base64url' : 'base64');
  return key.length === MASTER_KEY_BYTES ? key : null;
}

/** A new random master key as base64 text. */
export const generateMasterKey = (): string => randomBytes(MASTER_KEY_BYTES).toString('base64');

/** A short, non-secret name of a master key, stored next to what it wrapped. */
export const masterKeyId = (key: Buffer): string =>
  createHash('sha256').update('shoal-master-key-id\n').update(key).digest('hex').slice(0, 16);
