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
  const state: LineState = { buffer: '', eventName: '', data: [] };
  for await (const bytes of body) {
    state.buffer += decoder.decode(bytes, { stream: true });
    yield* takeLines(state, false);
  }
  state.buffer += decoder.decode();
  yield* takeLines(state, true);
}

interface LineState {
  buffer: string;
  eventName: string;
  data: string[];
}

/** Handles the complete lines of the buffer; `final` when no more bytes come (a last `\r` ends its line). */
function* takeLines(state: LineState, final: boolean): Generator<SseEvent, void, undefined> {
  const { buffer } = state;
  let start = 0;
  for (;;) {
    const lf = buffer.indexOf('\n', start);
    const cr = buffer.indexOf('\r', start);
    let end: number;
    let next: number;
    if (cr !== -1 && (lf === -1 || cr < lf)) {
      // A \r last in the buffer may be the first half of \r\n: wait for the next bytes.
      if (cr === buffer.length - 1 && !final) break;
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
      if (state.data.length > 0) yield { event: state.eventName || 'message', data: state.data.join('\n') };
      state.eventName = '';
      state.data = [];
      continue;
    }
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') state.data.push(value);
    else if (field === 'event') state.eventName = value;
  }
  state.buffer = buffer.slice(start);
}
