import { z } from 'zod';
import { Duration } from '../duration.ts';
import { orExpression, Template, templatedString } from '../definition-schema.ts';
import { defineStepType } from '../step-type.ts';

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export const HTTP_RESPONSE_TYPES = ['auto', 'json', 'text'] as const;
/** The largest response body an http step may ask for (the deployment may set a lower cap). */
export const HTTP_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

export const HTTP_HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;
/** Set by the transport itself: letting a definition set them invites request smuggling. */
export const HTTP_RESERVED_HEADERS: readonly string[] = [
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'upgrade',
  'te',
  'trailer',
];

const isHttpUrl = (text: string): boolean => {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
};

export const httpStep = defineStepType({
  type: 'http',
  description:
    'Sends an HTTP request to a public address (never a private, loopback or metadata one) and ' +
    'outputs { status, headers, body }. The request carries an Idempotency-Key header.',
  with: z
    .strictObject({
      method: z.enum(HTTP_METHODS).default('GET'),
      url: templatedString(
        z.string().max(8192).refine(isHttpUrl, 'must be an absolute http:// or https:// URL'),
      ),
      headers: z
        .record(
          z
            .string()
            .regex(HTTP_HEADER_NAME, 'must be an HTTP header name')
            .refine(
              (name) => !HTTP_RESERVED_HEADERS.includes(name.toLowerCase()),
              'is set by Shoal and cannot be set here',
            ),
          templatedString(z.string().max(8192)),
        )
        .optional(),
      query: z
        .record(z.string().min(1).max(200), orExpression(z.union([z.string(), z.number(), z.boolean()])))
        .optional(),
      body: Template.optional().meta({ description: 'Sent as JSON, or as is when it is a string' }),
      responseType: z.enum(HTTP_RESPONSE_TYPES).default('auto'),
      maxResponseBytes: z.number().int().min(1).max(HTTP_MAX_RESPONSE_BYTES).optional(),
      timeout: Duration.optional().meta({ description: 'Longest wait for the whole response' }),
      followRedirects: z.boolean().default(true),
      failOnHttpError: z
        .boolean()
        .default(true)
        .meta({ description: 'Fail the step (error code HTTP_<status>) on a 4xx or 5xx answer' }),
    })
    .refine((w) => w.body === undefined || (w.method !== 'GET' && w.method !== 'HEAD'), {
      path: ['body'],
      message: 'is not allowed with GET or HEAD',
    }),
});
