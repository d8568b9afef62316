import { z } from 'zod';
import { HttpStepError } from './errors.ts';
import {
  HTTP_HEADER_NAME,
  HTTP_METHODS,
  HTTP_RESERVED_HEADERS,
  HTTP_RESPONSE_TYPES,
  parseDuration,
} from '../../workflows/index.ts';

/** The http step's methods and response types: one definition, shared with publishing. */
export const REQUEST_METHODS = HTTP_METHODS;
export const RESPONSE_TYPES = HTTP_RESPONSE_TYPES;
export type ResponseType = (typeof RESPONSE_TYPES)[number];

const Scalar = z.union([z.string(), z.number(), z.boolean()]);

/**
 * The step's `with` once the engine has evaluated its expressions. Publishing checked the
 * template; this checks what the expressions produced, since any value can come out of them.
 */
const ResolvedInput = z
  .strictObject({
    method: z.enum(REQUEST_METHODS).default('GET'),
    url: z.string().max(8192),
    headers: z
      .record(
        z
          .string()
          .regex(HTTP_HEADER_NAME, 'must be an HTTP header name')
          .refine(
            (name) => !HTTP_RESERVED_HEADERS.includes(name.toLowerCase()),
            'is set by Shoal and cannot be set here',
          ),
        z
          .union([z.string(), z.number(), z.boolean()])
          .transform(String)
          .refine(
            (value) => value.length <= 8192 && !/[\r\n\0]/.test(value),
            'must be one line of at most 8192 characters',
          ),
      )
      .default({}),
    query: z.record(z.string().min(1).max(200), z.union([Scalar, z.null(), z.array(Scalar)])).default({}),
    body: z.unknown().optional(),
    responseType: z.enum(RESPONSE_TYPES).default('auto'),
    maxResponseBytes: z.number().int().min(1).optional(),
    timeout: z
      .string()
      .refine((text) => (parseDuration(text) ?? 0) >= 1, 'must be a duration such as 500ms or 30s')
      .optional(),
    followRedirects: z.boolean().default(true),
    failOnHttpError: z.boolean().default(true),
  })
  .refine((input) => input.body === undefined || (input.method !== 'GET' && input.method !== 'HEAD'), {
    path: ['body'],
    message: 'is not allowed with GET or HEAD',
  });

/** What one attempt sends, before any redirect. */
export interface HttpRequestPlan {
  method: (typeof REQUEST_METHODS)[number];
  url: URL;
  /** Lowercase names. */
  headers: Map<string, string>;
  body: Buffer | null;
  responseType: ResponseType;
  maxResponseBytes: number | undefined;
  timeoutMs: number | undefined;
  followRedirects: boolean;
  failOnHttpError: boolean;
}

/** Checks the evaluated input and turns it into a request plan; HTTP_INPUT_INVALID when it cannot. */
export function planRequest(input: unknown): HttpRequestPlan {
  const parsed = ResolvedInput.safeParse(input);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const path = first?.path ?? [];
    // A bad record key is reported inside a wrapper issue; the inner one says what is wrong.
    const issue = first?.code === 'invalid_key' ? (first.issues[0] ?? first) : first;
    const where = path.length > 0 ? `with.${path.join('.')} ` : '';
    throw new HttpStepError(
      'HTTP_INPUT_INVALID',
      `Invalid http step input: ${where}${issue?.message ?? ''}`.trim(),
    );
  }
  const value = parsed.data;
  let url: URL;
  try {
    url = new URL(value.url);
  } catch {
    throw new HttpStepError(
      'HTTP_INPUT_INVALID',
      'Invalid http step input: with.url must be an absolute URL',
    );
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    throw new HttpStepError(
      'HTTP_INPUT_INVALID',
      'Invalid http step input: with.url must be an http:// or https:// URL',
    );
  }
  url.hash = '';
  for (const [name, item] of Object.entries(value.query)) {
    for (const one of Array.isArray(item) ? item : [item])
      if (one !== null) url.searchParams.append(name, String(one));
  }

  const headers = new Map(Object.entries(value.headers).map(([name, text]) => [name.toLowerCase(), text]));
  let body: Buffer | null = null;
  if (value.body !== undefined) {
    const isText = typeof value.body === 'string';
    body = Buffer.from(isText ? (value.body as string) : JSON.stringify(value.body), 'utf8');
    if (!headers.has('content-type'))
      headers.set('content-type', isText ? 'text/plain; charset=utf-8' : 'application/json');
  }
  return {
    method: value.method,
    url,
    headers,
    body,
    responseType: value.responseType,
    maxResponseBytes: value.maxResponseBytes,
    timeoutMs: value.timeout === undefined ? undefined : (parseDuration(value.timeout) ?? undefined),
    followRedirects: value.followRedirects,
    failOnHttpError: value.failOnHttpError,
  };
}
