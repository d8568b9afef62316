import { listTenantIds } from '../../identity/index.ts';
import { rewrapPlatformProviderKeys, SecretsError } from '../../secrets/index.ts';
import type { Command } from '../command.ts';
import { openSecretBox } from '../master-key.ts';
import { openRuntime } from '../runtime.ts';

const usage = `Usage: shoal secrets rewrap [--json]

Re-wraps every tenant's data key and re-seals every platform provider key under
SHOAL_MASTER_KEY, reading what older keys wrapped with SHOAL_MASTER_KEY_PREVIOUS
(docs/security.md, "Master-key rotation"). Safe to run again: what is current is left alone.
Exits 1 if any key could not be read (wrapped by a master key that is not configured).`;

interface Failure {
  tenantId?: string;
  provider?: string;
  code: string;
  message: string;
}

export const secretsRewrapCommand: Command = {
  name: 'secrets rewrap',
  summary: 'Re-wrap tenant and platform keys under the current master key',
  usage,
  options: { json: { type: 'boolean' } },
  async run(values, io) {
    const runtime = await openRuntime(io.env, { logToStderr: true });
    try {
      const box = openSecretBox(runtime.config, runtime.db.driver, runtime.logger);
      if (!box) throw new SecretsError('SECRETS_UNAVAILABLE');
      const failures: Failure[] = [];
      const tenants = { rewrapped: 0, current: 0 };
      for (const tenantId of await runtime.db.systemTx((sys) => listTenantIds(sys))) {
        try {
          // One transaction per tenant: a failure leaves the others re-wrapped.
          const changed = await runtime.db.tenantTx(tenantId, (tx) => box.rewrap(tx, tenantId));
          tenants[changed ? 'rewrapped' : 'current'] += 1;
        } catch (error) {
          if (!(error instanceof SecretsError)) throw error;
          failures.push({ tenantId, code: error.code, message: error.message });
        }
      }
      const platform = await runtime.db.systemTx((sys) => rewrapPlatformProviderKeys(sys, box));
      for (const { provider, error } of platform.failed)
        failures.push({ provider, code: error.code, message: error.message });
      const summary = {
        masterKeyId: box.currentKeyId,
        tenantKeys: tenants,
        platformKeys: { rewrapped: platform.rewrapped.length, current: platform.current.length },
        failures,
      };
      if (values.json) io.out(JSON.stringify(summary));
      else {
        io.out(`master key ${box.currentKeyId}`);
        io.out(`tenant keys: ${tenants.rewrapped} rewrapped, ${tenants.current} already current`);
        io.out(
          `platform keys: ${platform.rewrapped.length} rewrapped, ${platform.current.length} already current`,
        );
      }
      for (const failure of failures) {
        const owner = failure.tenantId ? `tenant ${failure.tenantId}` : `provider ${failure.provider}`;
        io.err(`${owner}: ${failure.code}: ${failure.message}`);
      }
      return failures.length > 0 ? 1 : 0;
    } finally {
      await runtime.db.close();
    }
  },
};
