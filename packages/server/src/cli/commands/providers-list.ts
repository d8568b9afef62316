import { listPlatformProviders } from '../../secrets/index.ts';
import type { Command } from '../command.ts';
import { openRuntime } from '../runtime.ts';

const usage = `Usage: shoal providers list [--json]

Lists the LLM providers: kind, base URL, whether each has a platform key (its fingerprint,
never the key) and whether it is enabled.`;

export const providersListCommand: Command = {
  name: 'providers list',
  summary: 'List LLM providers and their platform keys',
  usage,
  options: { json: { type: 'boolean' } },
  async run(values, io) {
    const runtime = await openRuntime(io.env, { logToStderr: true });
    try {
      const providers = await runtime.db.systemTx((sys) => listPlatformProviders(sys));
      if (values.json) io.out(JSON.stringify({ providers }));
      else
        for (const p of providers)
          io.out(
            `${p.name} (${p.kind}${p.enabled ? '' : ', disabled'}) ${p.baseUrl ?? '-'} platform key: ${
              p.platformKeyFingerprint ?? 'none'
            }`,
          );
      return 0;
    } finally {
      await runtime.db.close();
    }
  },
};
