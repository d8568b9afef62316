/**
 * Redaction of secret values wherever they hide in a log line: by pattern in free text (error
 * messages that echo a key, a DB error's detail) and by field name in error objects. Paths
 * alone (REDACT_PATHS) cannot reach into a message string or a driver's error.
 */
export const REDACTED = '[redacted]';

const SECRET_VALUE = new RegExp(
  [
    'shoal_[0-9A-Za-z]{16,}', // API keys
    'whsec_[0-9A-Za-z_-]{16,}', // webhook signing secrets
    '\\bsk-[0-9A-Za-z_-]{8,}', // OpenAI-style and Anthropic provider keys (sk-ant-…)
    '\\b(?:bearer|basic)\\s+[^\\s"\',;]+', // Authorization header values
    '(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{43}=', // 32 bytes in base64: master and data keys
  ].join('|'),
  'gi',
);
const SECRET_ASSIGNMENT =
  /\b((?:password|passwd|secret|api[_-]?key|access[_-]?token|token|x-api-key)["']?\s*[:=]\s*["']?)[^\s"',;&}]+/gi;

/** Field names whose values are never logged. */
const SECRET_FIELD =
  /^(?:password|passwd|secret|token|key|api_?key|authorization|cookie)$|secret|password|apikey|api_key|master_?key|access_?token|refresh_?token|private_?key/i;
/** In error objects also a driver's query parameters, which can be anything a query was sent. */
const SECRET_ERROR_FIELD = /^(?:params|parameters|values)$/;

// Every pattern above needs one of these: most text is let through by this one cheap test.
const HINT = /shoal_|whsec_|sk-|bearer|basic|passw|secret|key|token|=/i;

/** `text` with every secret-looking value replaced. */
export function redactText(text: string): string {
  if (!HINT.test(text)) return text;
  return text.replace(SECRET_VALUE, REDACTED).replace(SECRET_ASSIGNMENT, `$1${REDACTED}`);
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;

/**
 * A log line's own fields, made safe cheaply: secret-named fields censored two levels deep,
 * top-level strings scrubbed. Copies only what it changes; class instances (a request, an
 * error: the `err` serializer's) are left alone.
 */
export function redactFields(object: Record<string, unknown>, depth = 0): Record<string, unknown> {
  let copy: Record<string, unknown> | null = null;
  for (const field in object) {
    const value = object[field];
    if (value === null || value === undefined) continue;
    let clean = value;
    if (SECRET_FIELD.test(field)) clean = REDACTED;
    else if (typeof value === 'string') clean = depth === 0 ? redactText(value) : value;
    else if (depth < 2 && isPlainObject(value)) clean = redactFields(value, depth + 1);
    if (clean !== value) (copy ??= { ...object })[field] = clean;
  }
  return copy ?? object;
}

/**
 * A copy of `value` with secret fields censored and strings scrubbed, a few levels deep (error
 * objects, their `cause`s and details). Only error paths call it, so the walk's cost is fine.
 */
export function redactDeep(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redactText(value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth > 6 || seen.has(value)) return '[…]';
  seen.add(value);
  if (Array.isArray(value)) return value.slice(0, 50).map((item) => redactDeep(item, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [field, inner] of Object.entries(value)) {
    const secret = inner != null && (SECRET_FIELD.test(field) || SECRET_ERROR_FIELD.test(field));
    out[field] = secret ? REDACTED : redactDeep(inner, depth + 1, seen);
  }
  return out;
}
