import type { OverridesPatch } from '../../scheduling/index.ts';
import { CliUsageError } from '../cli-error.ts';
import type { Command } from '../command.ts';
import { applyOverrides, LIMIT_FLAGS } from './limits-output.ts';

const usage = `Usage: shoal limits clear <tenantId> <limit...> [--json]

Clears overrides, back to the plan's values; "pool" goes back to the shared pool. Limits:
${[...LIMIT_FLAGS.keys()].join(', ')}, pool.`;

export const limitsClearCommand: Command = {
  name: 'limits clear',
  summary: "Clear a tenant's overrides (back to its plan)",
  usage,
  options: { json: { type: 'boolean' } },
  positionals: ['tenantId', 'limits'],
  variadic: true,
  async run(values, io) {
    const patch: OverridesPatch = {};
    for (const word of String(values.limits).split(' ')) {
      const flag = word.replace(/^--/, '');
      const name = LIMIT_FLAGS.get(flag);
      if (name) patch[name] = null;
      else if (flag === 'pool') patch.pool = null;
      else throw new CliUsageError(`Unknown limit "${word}"`, usage);
    }
    return applyOverrides(io, String(values.tenantId), patch, values.json === true);
  },
};
