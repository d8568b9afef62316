import type { Gateway } from '../../gateway/index.ts';
import { LlmEmbedWith } from '../../workflows/index.ts';
import type { StepContext, StepExecutor } from '../step-executor.ts';
import { llmCallKey } from './call-key.ts';
import { LlmStepError } from './errors.ts';
import { gatewayStepError } from './gateway-step-error.ts';
import { parseLlmInput } from './llm-input.ts';
import { stepUsage, type LlmUsage } from './llm-usage.ts';

/** What an llm.embed step outputs (docs/workflows.md, "LLM steps"). */
export interface LlmEmbedOutput {
  /** One vector per input, in the order of the inputs. */
  embeddings: number[][];
  model: string;
  provider: string;
  usage: LlmUsage;
  costMicroUsd: number;
  simulated: boolean;
  callId: string;
  replayed: boolean;
}

async function runEmbed(gateway: Gateway, ctx: StepContext): Promise<LlmEmbedOutput> {
  const input = parseLlmInput(LlmEmbedWith, ctx.input);
  let result: Awaited<ReturnType<Gateway['embed']>>;
  try {
    result = await gateway.embed(
      { tenantId: ctx.tenantId, runId: ctx.runId, stepId: ctx.stepKey },
      {
        model: input.model,
        input: input.input,
        ...(input.dimensions === undefined ? {} : { dimensions: Number(input.dimensions) }),
        idempotencyKey: llmCallKey(ctx.runId, ctx.stepKey, 0),
      },
      { signal: ctx.signal, ...(ctx.trace ? { trace: ctx.trace } : {}) },
    );
  } catch (error) {
    throw gatewayStepError(error);
  }
  const { response, call } = result;
  return {
    embeddings: [...response.data].sort((a, b) => a.index - b.index).map((d) => d.embedding),
    model: call.model,
    provider: call.provider,
    usage: stepUsage(call.usage),
    costMicroUsd: call.costMicroUsd,
    simulated: call.simulated,
    callId: call.callId,
    replayed: call.replayed,
  };
}

/** `llm.embed`: one embedding call through the gateway. */
export function createLlmEmbedExecutor(gateway: Gateway | null): StepExecutor {
  return {
    type: 'llm.embed',
    async execute(ctx) {
      if (!gateway) throw new LlmStepError('LLM_GATEWAY_UNAVAILABLE');
      return { kind: 'completed', output: await runEmbed(gateway, ctx) };
    },
  };
}
