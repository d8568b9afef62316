import type { IncomingMessage } from 'node:http';
import type { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { HttpStepError } from './errors.ts';
import type { ResponseType } from './request-input.ts';

const tooLarge = (limit: number, seen: string) =>
  new HttpStepError(
    'HTTP_RESPONSE_TOO_LARGE',
    `The response body is larger than maxResponseBytes (${limit} bytes): ${seen}`,
  );

function decoderFor(encoding: string | undefined): Transform | null {
  switch (encoding?.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return createGunzip();
    case 'deflate':
      return createInflate();
    case 'br':
      return createBrotliDecompress();
    default:
      return null;
  }
}

/**
 * Reads a body of at most `limit` bytes after decoding (so a small gzip bomb counts at its real
 * size), aborting the transfer the moment it would pass the limit.
 */
export async function readBody(
  response: IncomingMessage,
  limit: number,
  signal: AbortSignal,
): Promise<Buffer> {
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    response.destroy();
    throw tooLarge(limit, `its Content-Length is ${declared}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let overflow: HttpStepError | undefined;
  const collect = async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) {
      size += chunk.length;
      if (size > limit) {
        overflow = tooLarge(limit, `stopped reading after ${size} bytes`);
        throw overflow;
      }
      chunks.push(chunk);
    }
  };
  const decoder = decoderFor(response.headers['content-encoding']);
  try {
    if (decoder) await pipeline(response, decoder, collect, { signal });
    else await pipeline(response, collect, { signal });
  } catch (error) {
    response.destroy();
    // pipeline may report the teardown (an AbortError) instead of the reason we stopped.
    throw overflow ?? error;
  }
  return Buffer.concat(chunks, size);
}

const JSON_MEDIA_TYPE = /^(?:application|text)\/(?:[a-z0-9!#$&^_.+-]+\+)?json$/;

function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

function decodeText(bytes: Buffer, contentType: string | undefined): string {
  const charset = /;\s*charset="?([^";\s]+)"?/i.exec(contentType ?? '')?.[1];
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(bytes);
  } catch {
    // An unknown charset label: UTF-8 is the best guess, and never fails (invalid bytes become U+FFFD).
    return new TextDecoder('utf-8').decode(bytes);
  }
}

/** The body as the step outputs it: parsed JSON for `json` (or `auto` with a JSON media type), else text. */
export function parseBody(
  bytes: Buffer,
  contentType: string | undefined,
  responseType: ResponseType,
): unknown {
  const asJson =
    responseType === 'json' || (responseType === 'auto' && JSON_MEDIA_TYPE.test(mediaTypeOf(contentType)));
  const text = decodeText(bytes, contentType);
  if (!asJson) return text;
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HttpStepError(
      'HTTP_RESPONSE_INVALID',
      `The response body is not valid JSON: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}
