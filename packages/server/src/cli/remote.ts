import { createShoalClient, ShoalApiError, type ShoalClient } from '@shoal/sdk';
import { CliUsageError } from './cli-error.ts';
import type { CliIo } from './command.ts';

/** The options every remote command takes: where the API is; the key comes from the environment. */
export const REMOTE_OPTIONS = { url: { type: 'string' }, json: { type: 'boolean' } } as const;

export const REMOTE_USAGE = `Remote options:
  --url URL     the Shoal API (default $SHOAL_URL or http://localhost:8080)
  --json        print the API's JSON answer instead of a summary
  The tenant API key is read from $SHOAL_API_KEY.`;

/**
 * A client of the Shoal HTTP API for the CLI's tenant commands, which talk to a running server
 * through the SDK like any other client (docs/architecture.md), never to the database.
 */
export function openRemote(
  values: Record<string, string | boolean | undefined>,
  io: CliIo,
  usage: string,
): ShoalClient {
  const apiKey = io.env.SHOAL_API_KEY;
  if (!apiKey) throw new CliUsageError('Set SHOAL_API_KEY to a tenant API key', usage);
  const baseUrl = String(values.url ?? io.env.SHOAL_URL ?? 'http://localhost:8080');
  try {
    return createShoalClient({ baseUrl, apiKey });
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error), usage);
  }
}

/** Runs a remote call; an API error becomes one line with its stable code and exit code 1. */
export async function runRemote(io: CliIo, call: () => Promise<void>): Promise<number> {
  try {
    await call();
    return 0;
  } catch (error) {
    if (!(error instanceof ShoalApiError)) throw error;
    io.err(`Error ${error.code}: ${error.message}`);
    return 1;
  }
}
