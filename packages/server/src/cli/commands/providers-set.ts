import { PROVIDER_KINDS } from '../../gateway/index.ts';
import { putPlatformProvider } from '../../secrets/index.ts';
import { CliUsageError } from '../cli-error.ts';
import { oneOf, requireString, type Command } from '../command.ts';
import { openSecretBox } from '../master-key.ts';
import { openRuntime } from '../runtime.ts';

const usage = `Usage: shoal providers set <name> --kind openai|anthropic|simulated [--base-url URL]
                           [--api-key-env VAR | --remove-api-key] [--enabled true|false] [--json]

Creates or changes an LLM provider straight on the database. The platform key is read from the
environment variable named by --api-key-env, never from the command line; without either key
option the provider keeps the key it has. --base-url is required unless the kind is simulated.`;

const NAME = /^[a-z][a-z0-9-]{0,39}$/;

export const providersSetCommand: Command = {
  name: 'providers set',
  summary: 'Create or change an LLM provider and its platform key',
  usage,
  options: {
    kind: { type: 'string' },
    'base-url': { type: 'string' },
    'api-key-env': { type: 'string' },
    'remove-api-key': { type: 'boolean' },
    enabled: { type: 'string' },
    json: { type: 'boolean' },
  },
  positionals: ['name'],
  async run(values, io) {
    const name = String(values.name);
    if (!NAME.test(name))
      throw new CliUsageError('NAME must be lower-case letters, digits and dashes (at most 40)', usage);
    const kind = oneOf(requireString(values, 'kind', usage), PROVIDER_KINDS, 'kind', usage);
    const enabled =
      values.enabled === undefined
        ? undefined
        : oneOf(String(values.enabled), ['true', 'false'], 'enabled', usage) === 'true';
    let apiKey: string | null | undefined;
    if (typeof values['api-key-env'] === 'string') {
      if (values['remove-api-key'])
        throw new CliUsageError('--api-key-env and --remove-api-key exclude each other', usage);
      const variable = values['api-key-env'];
      apiKey = io.env[variable];
      if (!apiKey) throw new CliUsageError(`The environment variable ${variable} is not set`, usage);
      if (apiKey.length > 4096 || /\s/.test(apiKey))
        throw new CliUsageError(`${variable} must be at most 4096 characters without whitespace`, usage);
    } else if (values['remove-api-key']) apiKey = null;
    const baseUrl = typeof values['base-url'] === 'string' ? values['base-url'] : null;

    const runtime = await openRuntime(io.env, { logToStderr: true });
    try {
      const box =
        typeof apiKey === 'string' ? openSecretBox(runtime.config, runtime.db.driver, runtime.logger) : null;
      const result = await runtime.db.systemTx((sys) =>
        putPlatformProvider(sys, box, name, {
          kind,
          baseUrl,
          ...(apiKey !== undefined ? { apiKey } : {}),
          ...(enabled !== undefined ? { enabled } : {}),
        }),
      );
      runtime.logger.info(
        { provider: name, created: result.created, changed: result.changed, platformKey: result.platformKey },
        result.created ? 'operator created an LLM provider (CLI)' : 'operator changed an LLM provider (CLI)',
      );
      const p = result.provider;
      if (values.json) io.out(JSON.stringify(p));
      else
        io.out(
          `${result.created ? 'created' : 'updated'} ${p.name} (${p.kind}${p.enabled ? '' : ', disabled'}) ${
            p.baseUrl ?? '-'
          } platform key: ${p.platformKeyFingerprint ?? 'none'}`,
        );
      return 0;
    } finally {
      await runtime.db.close();
    }
  },
};
