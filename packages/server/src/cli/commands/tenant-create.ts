import { randomBytes } from 'node:crypto';
import { createTenantWithOwner } from '../../identity/index.ts';
import { requireString, type Command } from '../command.ts';
import { CliUsageError } from '../cli-error.ts';
import { openRuntime } from '../runtime.ts';

const usage = `Usage: shoal tenant create --name NAME --owner-email EMAIL [--owner-name NAME] [--plan PLAN] [--json]

Creates a tenant and its owner. The owner's password is generated and printed once
(or taken from SHOAL_OWNER_PASSWORD).`;

export const tenantCreateCommand: Command = {
  name: 'tenant create',
  summary: 'Create a tenant and its owner',
  usage,
  options: {
    name: { type: 'string' },
    'owner-email': { type: 'string' },
    'owner-name': { type: 'string' },
    plan: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(values, io) {
    const name = requireString(values, 'name', usage);
    const email = requireString(values, 'owner-email', usage);
    if (!/^[^\s@]+@[^\s@]+$/.test(email))
      throw new CliUsageError('--owner-email is not an email address', usage);
    const password = io.env.SHOAL_OWNER_PASSWORD ?? randomBytes(12).toString('base64url');
    const runtime = await openRuntime(io.env, { logToStderr: true });
    try {
      const { tenant, userId } = await runtime.db.systemTx((sys) =>
        createTenantWithOwner(
          sys,
          {
            tenantName: name,
            email,
            name: String(values['owner-name'] ?? ''),
            password,
            ...(typeof values.plan === 'string' ? { plan: values.plan } : {}),
          },
          { requestId: null, ip: null },
        ),
      );
      if (values.json) {
        io.out(
          JSON.stringify({
            tenant,
            owner: { id: userId, email, password: io.env.SHOAL_OWNER_PASSWORD ? undefined : password },
          }),
        );
      } else {
        io.out(`Tenant ${tenant.id} (${tenant.name}, plan ${tenant.plan})`);
        io.out(`Owner ${email}${io.env.SHOAL_OWNER_PASSWORD ? '' : ` with password ${password}`}`);
      }
      return 0;
    } finally {
      await runtime.db.close();
    }
  },
};
