import {
  LIMIT_NAMES,
  OPERATOR_CLI_ACTOR,
  updateTenantOverrides,
  type OverridesPatch,
  type TenantLimits,
} from '../../scheduling/index.ts';
import type { CliIo } from '../command.ts';
import { openRuntime } from '../runtime.ts';

/** `--kebab-case` flag of each limit, and back. */
export const limitFlag = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
export const LIMIT_FLAGS = new Map<string, (typeof LIMIT_NAMES)[number]>(
  LIMIT_NAMES.map((name) => [limitFlag(name), name]),
);

/** A tenant's limits as a table (or JSON): effective value and where it comes from. */
export function printTenantLimits(io: CliIo, limits: TenantLimits, json: boolean): void {
  if (json) {
    io.out(JSON.stringify(limits));
    return;
  }
  io.out(`Tenant ${limits.tenantId}: plan ${limits.plan}, pool ${limits.pool}`);
  for (const name of LIMIT_NAMES) {
    const override = limits.overrides[name];
    io.out(
      `  ${limitFlag(name).padEnd(24)} ${String(limits.effective[name]).padStart(10)}${override === null ? '' : '  (override)'}`,
    );
  }
}

/** Applies an operator's override patch to a tenant (audited as the CLI) and prints the result. */
export async function applyOverrides(
  io: CliIo,
  tenantId: string,
  patch: OverridesPatch,
  json: boolean,
): Promise<number> {
  const runtime = await openRuntime(io.env, { logToStderr: true });
  try {
    const limits = await runtime.db.systemTx((sys) =>
      updateTenantOverrides(sys, tenantId, patch, { actor: OPERATOR_CLI_ACTOR, requestId: null, ip: null }),
    );
    printTenantLimits(io, limits, json);
    return 0;
  } finally {
    await runtime.db.close();
  }
}
