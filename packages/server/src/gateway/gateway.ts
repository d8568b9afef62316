import { createCallSteps } from './call-steps.ts';
import { createChatCall } from './chat-call.ts';
import { createChatStreamCall } from './chat-stream-call.ts';
import { createEmbedCall } from './embed-call.ts';
import { createGatewayResources, type GatewayDeps, type GatewayOptions } from './gateway-resources.ts';
import type { Gateway, ListedModel } from './gateway-types.ts';
import { withCallSpans } from './traced-gateway.ts';
import { TRACING_OFF } from '../observability/index.ts';

export { DEFAULT_GATEWAY_OPTIONS } from './gateway-resources.ts';
export type { GatewayDeps, GatewayOptions } from './gateway-resources.ts';

/**
 * The LLM gateway (ADR 0006): resolves a model or alias, routes among its candidates, holds
 * rate limits and budgets, falls back on failure, caches on request and records every call.
 * A small set of systems sharing one resources object: call steps, chat, stream, embed.
 */
export function createGateway(deps: GatewayDeps, overrides: Partial<GatewayOptions> = {}): Gateway {
  const resources = createGatewayResources(deps, overrides);
  const { catalog, calls, cache, stats } = resources;
  const steps = createCallSteps(resources);
  const chat = createChatCall(resources, steps);
  const chatStream = createChatStreamCall(resources, steps);
  const embed = createEmbedCall(resources, steps);

  const listModels = async (tenantId: string): Promise<ListedModel[]> => {
    const [global, tenant] = await Promise.all([catalog.global(), catalog.tenant(tenantId)]);
    const listed: ListedModel[] = [...tenant.aliases.keys()]
      .sort()
      .map((id) => ({ id, kind: 'alias', provider: null }));
    for (const [ref, model] of global.models) {
      const provider = global.providers.get(model.provider);
      const keyed =
        provider && (provider.keyless || provider.platformKey !== null || tenant.keys.has(model.provider));
      if (keyed && tenant.prices.has(ref))
        listed.push({ id: ref, kind: model.kind, provider: model.provider });
    }
    return listed;
  };

  const gateway: Gateway = {
    chat,
    chatStream,
    embed,
    listModels,
    invalidate: catalog.invalidate,
    async flush() {
      await calls.flush();
      await cache.flush();
      await stats.flush();
    },
    async close() {
      await calls.close();
      await cache.flush();
      await stats.close();
    },
  };
  return withCallSpans(gateway, deps.tracing ?? TRACING_OFF, deps.logger);
}
