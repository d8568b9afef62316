import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A child process of the bench: stopped with SIGTERM, its exit awaited. */
export interface Child {
  name: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** A port that was free a moment ago (the child binds it next). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Starts `command args` with `env` added; its stderr (and stdout unless read) go to the log. */
export function startChild(
  name: string,
  command: string,
  args: readonly string[],
  env: Record<string, string> = {},
  log: (line: string) => void = () => undefined,
): Child {
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'pipe' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  createInterface({ input: child.stderr }).on('line', (line) => log(`[${name}] ${line}`));
  return {
    name,
    process: child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The first stdout line of `child` that parses as JSON. */
export function firstJsonLine<T>(child: Child, timeoutMs = 30_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${child.name} printed nothing in time`)), timeoutMs);
    const lines = createInterface({ input: child.process.stdout! });
    lines.on('line', (line) => {
      try {
        const value = JSON.parse(line) as T;
        clearTimeout(timer);
        resolve(value);
      } catch {
        // Not the line we wait for.
      }
    });
    child.process.once('exit', (code) =>
      reject(new Error(`${child.name} exited (${code}) before it was ready`)),
    );
  });
}

/** Waits until GET `url` answers (any status below 500). */
export async function waitForHttp(url: string, child: Child, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.process.exitCode !== null)
      throw new Error(`${child.name} exited with ${child.process.exitCode}`);
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.status < 500) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`${child.name} did not answer ${url} in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
