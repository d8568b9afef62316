import type {
  CallSummary,
  ChatMessage,
  ChatResponse,
  Gateway,
  GatewayChatRequest,
  ToolChoice,
} from '../../gateway/index.ts';
import { compileInputSchema, LlmChatWith, type LlmChatWithValue } from '../../workflows/index.ts';
import type { StepContext, StepExecutor } from '../step-executor.ts';
import { checkAnswer } from './answer-json.ts';
import { llmCallKey } from './call-key.ts';
import { LlmStepError } from './errors.ts';
import { gatewayStepError } from './gateway-step-error.ts';
import { parseLlmInput } from './llm-input.ts';
import { addUsage, NO_USAGE, stepUsage, type LlmUsage } from './llm-usage.ts';

/** What an llm.chat step outputs (docs/workflows.md, "LLM steps"). */
export interface LlmChatOutput {
  text: string | null;
  /** The parsed answer; only with `output.schema`. */
  json?: unknown;
  toolCalls: { id: string; name: string; arguments: unknown }[];
  finishReason: string;
  model: string;
  provider: string;
  /** Every call of the step added up: the first and each re-ask. */
  usage: LlmUsage;
  costMicroUsd: number;
  cacheHit: boolean;
  simulated: boolean;
  /** The gateway call that gave the answer (the last one). */
  callId: string;
  /** True when every call was the recorded answer of an earlier attempt (no new send or charge). */
  replayed: boolean;
}

const firstMessages = (input: LlmChatWithValue): ChatMessage[] => {
  if (input.prompt === undefined) {
    // Parsed after evaluation, so `messages` is the list, never an expression string.
    const messages = input.messages as Exclude<LlmChatWithValue['messages'], string | undefined>;
    return messages.map((m) => ({ role: m.role, content: m.content }));
  }
  return [
    ...(input.system === undefined ? [] : [{ role: 'system' as const, content: input.system }]),
    { role: 'user', content: input.prompt },
  ];
};

const toolChoiceOf = (choice: LlmChatWithValue['toolChoice']): ToolChoice | undefined =>
  choice === undefined ? undefined : choice;

/** Tool-call arguments as JSON when they parse, else the text the model sent. */
const parsedArguments = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
};

const reaskMessage = (problems: string[]) =>
  `Your answer does not match the required JSON Schema: ${problems.join('; ')}. ` +
  'Answer again with only the JSON value, no other text.';

function outputOf(
  response: ChatResponse,
  summary: CallSummary,
  totals: { usage: LlmUsage; cost: number; replayed: boolean },
  json: { value: unknown } | null,
): LlmChatOutput {
  const choice = response.choices[0];
  return {
    text: choice?.message.content ?? null,
    ...(json ? { json: json.value } : {}),
    toolCalls: (choice?.message.tool_calls ?? []).map((call) => ({
      id: call.id,
      name: call.function.name,
      arguments: parsedArguments(call.function.arguments),
    })),
    finishReason: choice?.finish_reason ?? 'stop',
    model: summary.model,
    provider: summary.provider,
    usage: totals.usage,
    costMicroUsd: totals.cost,
    cacheHit: summary.cacheHit,
    simulated: summary.simulated,
    callId: summary.callId,
    replayed: totals.replayed,
  };
}

async function runChat(gateway: Gateway, ctx: StepContext): Promise<LlmChatOutput> {
  const input = parseLlmInput(LlmChatWith, ctx.input);
  const compiled = input.output ? compileInputSchema(input.output.schema) : null;
  if (compiled && !compiled.ok)
    throw new LlmStepError(
      'LLM_INPUT_INVALID',
      `Output schema ${compiled.issues.map((i) => i.message).join('; ')}`,
    );
  const caller = { tenantId: ctx.tenantId, runId: ctx.runId, stepId: ctx.stepKey };
  const toolChoice = toolChoiceOf(input.toolChoice);
  const base: Omit<GatewayChatRequest, 'messages' | 'idempotencyKey'> = {
    model: input.model,
    ...(input.maxTokens === undefined ? {} : { max_tokens: Number(input.maxTokens) }),
    ...(input.temperature === undefined ? {} : { temperature: Number(input.temperature) }),
    ...(input.tier === undefined ? {} : { tier: input.tier }),
    ...(input.cache === undefined ? {} : { cache: input.cache }),
    ...(input.tools === undefined ? {} : { tools: input.tools }),
    ...(toolChoice === undefined ? {} : { tool_choice: toolChoice }),
    ...(input.output
      ? {
          response_format: {
            type: 'json_schema' as const,
            json_schema: { name: input.output.name, schema: input.output.schema },
          },
        }
      : {}),
  };
  const messages = firstMessages(input);
  const calls = 1 + (input.output?.retries ?? 0);
  const totals = { usage: NO_USAGE, cost: 0, replayed: true };
  let problems: string[] = [];
  for (let call = 0; call < calls; call += 1) {
    let result: Awaited<ReturnType<Gateway['chat']>>;
    try {
      result = await gateway.chat(
        caller,
        { ...base, messages: [...messages], idempotencyKey: llmCallKey(ctx.runId, ctx.stepKey, call) },
        { signal: ctx.signal, ...(ctx.trace ? { trace: ctx.trace } : {}) },
      );
    } catch (error) {
      throw gatewayStepError(error);
    }
    totals.usage = addUsage(totals.usage, stepUsage(result.call.usage));
    totals.cost += result.call.costMicroUsd;
    totals.replayed &&= result.call.replayed;
    if (!compiled) return outputOf(result.response, result.call, totals, null);
    const text = result.response.choices[0]?.message.content ?? null;
    const checked = checkAnswer(text, compiled);
    if (checked.ok) return outputOf(result.response, result.call, totals, { value: checked.value });
    problems = checked.problems;
    ctx.logger.info({ call, problems: problems.length }, 'llm answer does not match the output schema');
    messages.push(
      { role: 'assistant', content: text ?? '' },
      { role: 'user', content: reaskMessage(problems) },
    );
  }
  throw new LlmStepError(
    'LLM_OUTPUT_INVALID',
    `The model's answer does not match the output schema after ${calls} ${calls === 1 ? 'call' : 'calls'}: ${problems.join('; ')}`,
  );
}

/** `llm.chat`: one chat call through the gateway, re-asked when the answer must match a schema. */
export function createLlmChatExecutor(gateway: Gateway | null): StepExecutor {
  return {
    type: 'llm.chat',
    async execute(ctx) {
      if (!gateway) throw new LlmStepError('LLM_GATEWAY_UNAVAILABLE');
      return { kind: 'completed', output: await runChat(gateway, ctx) };
    },
  };
}
