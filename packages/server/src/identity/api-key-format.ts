import { crc32 } from 'node:zlib';
import { randomBase62, toBase62 } from './tokens.ts';

/**
 * `shoal_` + 32 base62 characters (190 bits) + 6 base62 characters of CRC-32 over the rest.
 * The prefix makes a leaked key recognisable to secret scanners; the checksum lets us refuse
 * a mistyped or made-up key without a database lookup.
 */
export const API_KEY_PREFIX = 'shoal_';
const RANDOM_LENGTH = 32;
const CHECKSUM_LENGTH = 6;
const KEY_PATTERN = new RegExp(`^${API_KEY_PREFIX}[0-9A-Za-z]{${RANDOM_LENGTH + CHECKSUM_LENGTH}}$`);

function checksum(body: string): string {
  return toBase62(crc32(body), CHECKSUM_LENGTH);
}

export function generateApiKey(): string {
  const body = `${API_KEY_PREFIX}${randomBase62(RANDOM_LENGTH)}`;
  return `${body}${checksum(body)}`;
}

export function isWellFormedApiKey(key: string): boolean {
  if (!KEY_PATTERN.test(key)) return false;
  const body = key.slice(0, -CHECKSUM_LENGTH);
  return checksum(body) === key.slice(-CHECKSUM_LENGTH);
}

/** What lists show: enough to tell keys apart, too little to use. */
export function displayPrefix(key: string): string {
  return key.slice(0, API_KEY_PREFIX.length + 6);
}
