import type { OverridesPatch } from '../../scheduling/index.ts';
import { CliUsageError } from '../cli-error.ts';
import type { Command } from '../command.ts';
import { applyOverrides, LIMIT_FLAGS } from './limits-output.ts';

const usage = `Usage: shoal limits set <tenantId> [--weight N] [--guaranteed-concurrency N] [--burst-ceiling N]
       [--run-starts-per-minute N] [--queued-runs-max N] [--max-payload-bytes N] [--max-steps-per-run N]
       [--log-retention-days N] [--history-retention-days N] [--llm-tokens-per-minute N] [--pool NAME] [--json]

Overrides single limits of a tenant's plan (and its worker pool), audited in the tenant's log
(tenant.limits.update). "shoal limits clear" goes back to the plan's values.`;

export const limitsSetCommand: Command = {
  name: 'limits set',
  summary: "Override single limits of a tenant's plan, or its pool",
  usage,
  options: {
    ...Object.fromEntries([...LIMIT_FLAGS.keys()].map((flag) => [flag, { type: 'string' as const }])),
    pool: { type: 'string' },
    json: { type: 'boolean' },
  },
  positionals: ['tenantId'],
  async run(values, io) {
    const patch: OverridesPatch = {};
    for (const [flag, name] of LIMIT_FLAGS) {
      const raw = values[flag];
      if (typeof raw !== 'string') continue;
      if (!/^\d+$/.test(raw))
        throw new CliUsageError(`--${flag} must be a whole number (got "${raw}")`, usage);
      patch[name] = Number(raw);
    }
    if (typeof values.pool === 'string') patch.pool = values.pool;
    if (Object.keys(patch).length === 0) throw new CliUsageError('Name at least one limit to set', usage);
    return applyOverrides(io, String(values.tenantId), patch, values.json === true);
  },
};
