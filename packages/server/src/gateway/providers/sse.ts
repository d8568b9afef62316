/**
 * A server-sent events parser (the WHATWG event-stream format) over a byte stream, shared by
 * the OpenAI and Anthropic providers. An event still open when the stream ends is dropped, as
 * the format says: a cut stream never yields half an event.
 */
export interface SseEvent {
  /** The `event:` field, `message` when absent. */
  event: string;
  /** The `data:` lines joined with `\n`. */
  data: string;
}

export async function* parseSse(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent, void, undefined> {
  const decoder = new TextDecoder();
  let buffer = '';
  let eventName = '';
  let data: string[] = [];

  for await (const bytes of body) {
    buffer += decoder.decode(bytes, { stream: true });
    let start = 0;
    for (;;) {
      const lf = buffer.indexOf('\n', start);
      const cr = buffer.indexOf('\r', start);
      let end: number;
      let next: number;
      if (cr !== -1 && (lf === -1 || cr < lf)) {
        // A `\r` last in the buffer may be the first half of `\r\n`: wait for the next bytes.
        if (cr === buffer.length - 1) break;
        end = cr;
        next = buffer[cr + 1] === '\n' ? cr + 2 : cr + 1;
      } else if (lf !== -1) {
        end = lf;
        next = lf + 1;
      } else {
        break;
      }
      const line = buffer.slice(start, end);
      start = next;
      if (line.length === 0) {
        if (data.length > 0) yield { event: eventName || 'message', data: data.join('\n') };
        eventName = '';
        data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'data') data.push(value);
      else if (field === 'event') eventName = value;
    }
    buffer = buffer.slice(start);
  }
}
