import type { z } from 'zod';
import { configSchema } from './schema.ts';

export type Config = Readonly<z.output<typeof configSchema>>;

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly issues: readonly { variable: string; message: string }[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  ${i.variable}: ${i.message}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment once at boot; empty strings count as unset. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const known = Object.keys(configSchema.shape);
  const raw: Record<string, string> = {};
  for (const key of known) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? '?'),
        message: issue.message,
      })),
    );
  }
  return Object.freeze(parsed.data);
}

/** Rows of the README configuration table: name, default, meaning. */
export function describeConfig(): { name: string; default: string; meaning: string }[] {
  return Object.entries(configSchema.shape).map(([name, schema]) => {
    const probe = (schema as z.ZodType).safeParse(undefined);
    const def = probe.success && probe.data !== undefined ? String(probe.data) : '(unset)';
    return { name, default: def, meaning: schema.description ?? '' };
  });
}
