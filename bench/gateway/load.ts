import { Agent, request } from 'node:http';

/** One answered (or failed) request: its status (0 for a socket error) and latency in ms. */
export interface Sample {
  status: number;
  ms: number;
}

/** How to call one system's chat completions endpoint: a URL, headers and a JSON body. */
export interface Target {
  url: URL;
  headers: Record<string, string>;
  body: string;
}

/** A keep-alive client for one target: the load generator's only HTTP code. */
export function createClient(target: Target, maxSockets: number) {
  const agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  const headers = {
    ...target.headers,
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(target.body)),
  };
  const options = {
    agent,
    method: 'POST',
    host: target.url.hostname,
    port: target.url.port,
    path: target.url.pathname,
    headers,
  };
  /** Sends one request; resolves with its status once the whole body arrived (never rejects). */
  const send = (): Promise<number> =>
    new Promise((resolve) => {
      const req = request(options, (res) => {
        res.on('data', () => undefined);
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(0));
      });
      req.on('error', () => resolve(0));
      req.end(target.body);
    });
  return { send, close: () => agent.destroy() };
}

export type Client = ReturnType<typeof createClient>;

/** `total` requests from `concurrency` callers, each sending its next once the last answered. */
export async function closedLoop(client: Client, concurrency: number, total: number): Promise<Sample[]> {
  const samples: Sample[] = [];
  let left = total;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (left > 0) {
        left -= 1;
        const started = performance.now();
        const status = await client.send();
        samples.push({ status, ms: performance.now() - started });
      }
    }),
  );
  return samples;
}

/**
 * Requests at a fixed `rate` per second for `durationMs`, each sent at its scheduled time whether
 * or not earlier ones answered (open loop). Latency runs from the scheduled time, so a client or
 * server that falls behind shows as latency instead of hiding it (no coordinated omission).
 */
export async function openLoop(client: Client, rate: number, durationMs: number): Promise<Sample[]> {
  const total = Math.round((rate * durationMs) / 1000);
  const interval = 1000 / rate;
  const samples: Sample[] = [];
  const pending: Promise<void>[] = [];
  const start = performance.now();
  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor((performance.now() - start) / interval) + 1);
      for (; sent < due; sent += 1) {
        const scheduled = start + sent * interval;
        pending.push(
          client.send().then((status) => {
            samples.push({ status, ms: performance.now() - scheduled });
          }),
        );
      }
      if (sent >= total) resolve();
      else setTimeout(tick, Math.max(0, Math.min(interval, start + sent * interval - performance.now())));
    };
    tick();
  });
  await Promise.all(pending);
  return samples;
}
