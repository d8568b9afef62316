import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSse } from '../../src/gateway/providers/sse.ts';
import type { SseEvent } from '../../src/gateway/providers/sse.ts';

async function parse(chunks: Uint8Array[]): Promise<SseEvent[]> {
  async function* body() {
    for (const chunk of chunks) yield chunk;
  }
  const events: SseEvent[] = [];
  for await (const event of parseSse(body())) events.push(event);
  return events;
}

/** Splits bytes at the given cut points, so chunks may end inside a character or a `\r\n`. */
function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    chunks.push(bytes.slice(start, point));
    start = point;
  }
  return chunks;
}

const line = fc.string({ unit: fc.constantFrom('a', 'ü', '日', '😀', ' ', ':', '{', '"', 'x') });
const eventArb = fc.record({
  event: fc.constantFrom('', 'message_start', 'content_block_delta', 'ping'),
  lines: fc.array(line, { minLength: 1, maxLength: 3 }),
});

describe('SSE parser', () => {
  it('yields every event whatever the line endings and wherever the chunks break', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(eventArb, { maxLength: 6 }),
        fc.constantFrom('\n', '\r\n', '\r'),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.boolean(),
        async (events, eol, cuts, comments) => {
          const text = events
            .map(
              (e) =>
                (comments ? `: keep-alive${eol}` : '') +
                (e.event ? `event: ${e.event}${eol}` : '') +
                e.lines.map((l) => `data: ${l}${eol}`).join('') +
                eol,
            )
            .join('');
          const parsed = await parse(split(new TextEncoder().encode(text), cuts));
          expect(parsed).toEqual(
            events.map((e) => ({ event: e.event || 'message', data: e.lines.join('\n') })),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('drops an event the stream ended inside, and accepts data without the space after the colon', async () => {
    const bytes = new TextEncoder().encode('data:{"a":1}\n\nevent: x\ndata: {"b":');
    expect(await parse([bytes])).toEqual([{ event: 'message', data: '{"a":1}' }]);
  });
});
