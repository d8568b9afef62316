import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, type Config } from '../config/index.ts';
import type { DbDriver } from '../db/index.ts';
import type { Logger } from '../observability/index.ts';
import { createSecretBox, generateMasterKey, parseMasterKey, type SecretBox } from '../secrets/index.ts';

export const MASTER_KEY_FILE = 'master.key';

/** The keys of SHOAL_MASTER_KEY_PREVIOUS, still accepted for unwrapping during a rotation. */
function previousKeys(config: Config): Buffer[] {
  const text = config.SHOAL_MASTER_KEY_PREVIOUS;
  if (!text) return [];
  return text.split(',').map((part) => {
    const key = parseMasterKey(part);
    if (!key)
      throw new ConfigError([
        { variable: 'SHOAL_MASTER_KEY_PREVIOUS', message: 'must be 32-byte base64 keys, comma-separated' },
      ]);
    return key;
  });
}

/**
 * The master key of this process (ADR 0004): SHOAL_MASTER_KEY when set; on embedded PGlite, the
 * key in SHOAL_DATA_DIR/master.key, made (mode 0600) on first start; on PostgreSQL without a key,
 * none — every process must share one key, so none is made up, and secrets answer 503. The keys
 * of SHOAL_MASTER_KEY_PREVIOUS unwrap what they wrapped, until `shoal secrets rewrap` (ADR 0006).
 */
export function openSecretBox(config: Config, driver: DbDriver, logger: Logger): SecretBox | null {
  const previous = previousKeys(config);
  if (config.SHOAL_MASTER_KEY) {
    const key = parseMasterKey(config.SHOAL_MASTER_KEY);
    if (!key)
      throw new ConfigError([{ variable: 'SHOAL_MASTER_KEY', message: 'must be 32 bytes in base64' }]);
    return createSecretBox({ masterKey: key, previousKeys: previous });
  }
  if (driver !== 'pglite') {
    logger.warn('SHOAL_MASTER_KEY is not set: webhooks and other tenant secrets are unavailable');
    if (previous.length > 0) logger.warn('SHOAL_MASTER_KEY_PREVIOUS is ignored without SHOAL_MASTER_KEY');
    return null;
  }
  const file = join(config.SHOAL_DATA_DIR, MASTER_KEY_FILE);
  mkdirSync(config.SHOAL_DATA_DIR, { recursive: true });
  try {
    // `wx`: two processes starting at once cannot both write a key; the loser reads the winner's.
    writeFileSync(file, `${generateMasterKey()}\n`, { mode: 0o600, flag: 'wx' });
    logger.info({ file }, 'generated a master key for tenant secrets; back it up with the data');
  } catch (error) {
    if ((error as { code?: string }).code !== 'EEXIST') throw error;
  }
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  const key = parseMasterKey(readFileSync(file, 'utf8'));
  if (!key) throw new Error(`${file} does not hold a 32-byte base64 master key`);
  // The generated file key stays the current one; SHOAL_MASTER_KEY_PREVIOUS only adds readers.
  return createSecretBox({ masterKey: key, previousKeys: previous });
}
