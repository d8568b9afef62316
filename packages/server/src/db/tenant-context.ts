import type { Queryable } from './types.ts';

/** The only place the tenant is bound: per transaction (`is_local = true`), never per connection. */
export async function bindTenant(tx: Queryable, tenantId: string): Promise<void> {
  await tx.query(`select set_config('shoal.tenant_id', $1, true)`, [tenantId]);
}

export const TENANT_SETTING = 'shoal.tenant_id';
