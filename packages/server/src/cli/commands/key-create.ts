import { appendAuditEvent } from '../../audit/index.ts';
import { createApiKey, ROLES } from '../../identity/index.ts';
import { oneOf, requireString, type Command } from '../command.ts';
import { CliUsageError } from '../cli-error.ts';
import { openRuntime } from '../runtime.ts';

const usage = `Usage: shoal key create --tenant ID --name NAME [--role ROLE] [--expires-in-days N] [--json]

Creates an API key for a tenant and prints it once. ROLE: ${ROLES.join(', ')} (default developer).`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const keyCreateCommand: Command = {
  name: 'key create',
  summary: 'Create an API key for a tenant',
  usage,
  options: {
    tenant: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string' },
    'expires-in-days': { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(values, io) {
    const tenantId = requireString(values, 'tenant', usage);
    if (!UUID.test(tenantId)) throw new CliUsageError('--tenant must be a tenant id (a UUID)', usage);
    const name = requireString(values, 'name', usage);
    const role = oneOf(String(values.role ?? 'developer'), ROLES, 'role', usage);
    const days = values['expires-in-days'];
    if (days !== undefined && !/^[1-9]\d{0,4}$/.test(String(days))) {
      throw new CliUsageError('--expires-in-days must be a whole number of days', usage);
    }
    const expiresAt = days === undefined ? null : new Date(Date.now() + Number(days) * 86_400_000);
    const runtime = await openRuntime(io.env, { logToStderr: true });
    try {
      const found = await runtime.db.systemTx((sys) =>
        sys.query('select 1 from tenants where id = $1', [tenantId]),
      );
      if (found.rows.length === 0) {
        io.err(`No tenant ${tenantId}`);
        return 1;
      }
      const actor = { type: 'system', id: 'cli' } as const;
      const created = await runtime.db.tenantTx(tenantId, async (tx) => {
        const result = await createApiKey(tx, tenantId, {
          name,
          role,
          expiresAt,
          createdBy: actor,
          granterRole: null,
        });
        await appendAuditEvent(tx, tenantId, {
          actor,
          action: 'api_keys.create',
          target: { type: 'api_key', id: result.apiKey.id },
          details: { role, name },
        });
        return result;
      });
      if (values.json) io.out(JSON.stringify(created));
      else {
        io.out(`API key ${created.apiKey.id} (${role}) for tenant ${tenantId}; shown once:`);
        io.out(created.secret);
      }
      return 0;
    } finally {
      await runtime.db.close();
    }
  },
};
