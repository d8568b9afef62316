import { readFile } from 'node:fs/promises';
import { changePlanPricing, SetPricingBody } from '../../api/index.ts';
import { OPERATOR_CLI_ACTOR } from '../../scheduling/index.ts';
import { CliUsageError } from '../cli-error.ts';
import { requireString, type Command } from '../command.ts';
import { openRuntime } from '../runtime.ts';

const usage = `Usage: shoal plans pricing set PLAN --file PRICING.json [--json]

Sets a plan's pricing from a month on, replacing a version of the same month, as
PUT /v1/operator/plans/:name/pricing does: the file holds { effectiveFrom: "YYYY-MM",
basePriceMicroUsd, meters: { llm_tokens, llm_cost, runs_started, steps_executed, worker_seconds } }.
Only a month not yet ended in any time zone. Audited in every tenant on the plan (plan.pricing.set).`;

export const planPricingSetCommand: Command = {
  name: 'plans pricing set',
  summary: "Set a plan's pricing from a month on",
  usage,
  options: { file: { type: 'string' }, json: { type: 'boolean' } },
  positionals: ['plan'],
  async run(values, io) {
    const file = requireString(values, 'file', usage);
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      throw new CliUsageError(`Cannot read ${file} as JSON: ${(error as Error).message}`, usage);
    }
    const parsed = SetPricingBody.safeParse(raw);
    if (!parsed.success)
      throw new CliUsageError(
        `${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}`,
        usage,
      );
    const runtime = await openRuntime(io.env, { logToStderr: true });
    try {
      const plan = String(values.plan);
      const version = await runtime.db.systemTx((sys) =>
        changePlanPricing(sys, plan, parsed.data, new Date(), {
          actor: OPERATOR_CLI_ACTOR,
          requestId: null,
          ip: null,
        }),
      );
      io.out(values.json ? JSON.stringify(version) : `${plan}: pricing from ${version.effectiveFrom} set`);
      return 0;
    } finally {
      await runtime.db.close();
    }
  },
};
