import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const SHOAL_BIN = fileURLToPath(new URL('../../bin/shoal.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `shoal` executable in a child process. */
export function runShoal(args: string[], env: Record<string, string | undefined>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SHOAL_BIN, ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, SHOAL_LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
