import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { EngineError } from '../errors.ts';

/** `Shoal-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>` (ADR 0004). */
export const SIGNATURE_HEADER = 'shoal-signature';
/** Optional sender-chosen delivery id: a redelivery with the same id starts no second run. */
export const DELIVERY_HEADER = 'shoal-delivery';
/** Deliveries signed further than this from the server's clock, either way, are refused. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

const V1 = /^[0-9a-f]{64}$/;

/** A new signing secret: `whsec_` and 32 random bytes. */
export const generateWebhookSecret = (): string =>
  `${WEBHOOK_SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;

/** The hex v1 signature of a body at a timestamp; the key is the secret string as issued. */
export function signWebhookPayload(secret: string, timestamp: number, rawBody: Buffer | string): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

/** A complete header value, as a sender would build it. */
export const webhookSignatureHeader = (secret: string, timestamp: number, rawBody: Buffer | string): string =>
  `t=${timestamp},v1=${signWebhookPayload(secret, timestamp, rawBody)}`;

export interface ParsedSignature {
  timestamp: number;
  /** Every v1 signature offered (a sender may sign with the old and the new secret). */
  signatures: string[];
}

/** Parses the header; any other scheme (v0=…) is ignored, as Stripe does. Null when unusable. */
export function parseSignatureHeader(header: string | undefined): ParsedSignature | null {
  if (header === undefined || header.length > 2000) return null;
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && V1.test(value.toLowerCase())) signatures.push(value.toLowerCase());
  }
  return timestamp === null || signatures.length === 0 ? null : { timestamp, signatures };
}

/** Throws WEBHOOK_TIMESTAMP_OUT_OF_RANGE unless the timestamp is within the tolerance of now. */
export function assertFreshTimestamp(timestamp: number, nowMs: number): void {
  if (Math.abs(nowMs / 1000 - timestamp) > SIGNATURE_TOLERANCE_SECONDS) {
    throw new EngineError('WEBHOOK_TIMESTAMP_OUT_OF_RANGE', undefined, {
      timestamp,
      serverTime: Math.floor(nowMs / 1000),
      toleranceSeconds: SIGNATURE_TOLERANCE_SECONDS,
    });
  }
}

/**
 * The offered signature that one of the secrets produced for this body, compared in constant
 * time; null when none matches.
 */
export function matchingSignature(
  secrets: readonly string[],
  parsed: ParsedSignature,
  rawBody: Buffer,
): string | null {
  for (const secret of secrets) {
    const expected = Buffer.from(signWebhookPayload(secret, parsed.timestamp, rawBody), 'hex');
    for (const offered of parsed.signatures) {
      if (timingSafeEqual(expected, Buffer.from(offered, 'hex'))) return offered;
    }
  }
  return null;
}
