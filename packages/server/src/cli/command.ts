import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliUsageError } from './cli-error.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: Options;
  /** Names of required positional arguments, e.g. `['file']`; they arrive in `values` by name. */
  positionals?: readonly string[];
  /** The last positional takes every remaining argument, joined by single spaces. */
  variadic?: boolean;
  run(values: Record<string, string | boolean | undefined>, io: CliIo): Promise<number>;
}

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  env: Record<string, string | undefined>;
}

export function parseCommandArgs(
  command: Command,
  argv: string[],
): Record<string, string | boolean | undefined> {
  try {
    const names = command.positionals ?? [];
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: names.length > 0,
    });
    const result = values as Record<string, string | boolean | undefined>;
    if (result.help) return result;
    if (positionals.length > names.length && !command.variadic)
      throw new CliUsageError(`Unexpected argument "${positionals[names.length]}"`, command.usage);
    names.forEach((name, i) => {
      const value =
        command.variadic && i === names.length - 1 && positionals.length > i
          ? positionals.slice(i).join(' ')
          : positionals[i];
      if (value === undefined) throw new CliUsageError(`Missing ${name.toUpperCase()}`, command.usage);
      result[name] = value;
    });
    return result;
  } catch (error) {
    if (error instanceof CliUsageError) throw error;
    throw new CliUsageError((error as Error).message, command.usage);
  }
}

export function requireString(values: Record<string, unknown>, name: string, usage: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '')
    throw new CliUsageError(`Missing required option --${name}`, usage);
  return value;
}

export function oneOf<T extends string>(
  value: string,
  allowed: readonly T[],
  name: string,
  usage: string,
): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new CliUsageError(`--${name} must be one of ${allowed.join(', ')} (got "${value}")`, usage);
  }
  return value as T;
}
