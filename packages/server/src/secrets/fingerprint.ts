import { createHash } from 'node:crypto';

const FINGERPRINT_PREFIX = 'shoal-secret-fingerprint\n';

/**
 * A short, stable name of a secret's value, shown to tell keys apart: `sha256:` and 12 hex
 * digits of SHA-256 over a fixed prefix and the plaintext. Never the last characters of the
 * secret: of a short key they would give much of it away.
 */
export const secretFingerprint = (plaintext: string): string =>
  `sha256:${createHash('sha256').update(FINGERPRINT_PREFIX).update(plaintext, 'utf8').digest('hex').slice(0, 12)}`;
