import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startRun, startWorker, type Worker } from '../../src/engine/index.ts';
import { GATEWAY_ERRORS, GatewayError, type GatewayErrorCode } from '../../src/gateway/index.ts';
import { createLogger } from '../../src/observability/index.ts';
import {
  createBuiltinExecutors,
  gatewayStepError,
  llmCallKey,
  StepError,
  type LlmChatOutput,
  type LlmEmbedOutput,
  type StepExecutor,
} from '../../src/steps/index.ts';
import { compileInputSchema } from '../../src/workflows/index.ts';
import { waitForRun } from '../support/engine.ts';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-llm-upstream.ts';
import { addProvider, createGatewayApp, recordedCalls, type GatewayApp } from '../support/gateway.ts';
import { publishDefinition } from '../support/publish.ts';
import { seedTenant, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

/**
 * The llm.chat and llm.embed steps on a real worker, calling the real gateway on the test
 * database: the simulated provider, and a fake OpenAI upstream for scripted answers and faults.
 */
const OPTIONS = {
  pool: 'shared',
  workerId: 'llm-worker',
  concurrency: 4,
  leaseMs: 5_000,
  pollMs: 50,
  maintenanceMs: 50,
};
const PRICE = { input: '1.000000', output: '2.000000', cached: '0.500000' };
const FAST_RETRY = { maxAttempts: 3, backoff: { initial: '10ms', max: '10ms', jitter: 0 } };
const TITLE_SCHEMA = {
  type: 'object',
  required: ['title', 'words'],
  additionalProperties: false,
  properties: { title: { type: 'string', minLength: 1 }, words: { type: 'integer', minimum: 1 } },
};

interface StepRow extends Record<string, unknown> {
  state: string;
  attempt: number;
  output: unknown;
  error_code: string | null;
  error_message: string | null;
}

describe('llm steps', () => {
  let t: TestDatabase;
  let tenant: TestTenant;
  let upstream: FakeUpstream;
  let ga: GatewayApp;
  let worker: Worker | null = null;
  let counter = 0;

  beforeAll(async () => {
    t = await createTestDatabase();
    upstream = await startFakeUpstream();
    await addProvider(t.db, {
      name: 'fake',
      kind: 'openai',
      baseUrl: upstream.openaiBaseUrl,
      platformKey: 'sk-fake',
      models: [
        { model: 'f-chat', price: PRICE },
        { model: 'f-embed', kind: 'embedding', price: PRICE },
        { model: 'f-unpriced' },
      ],
    });
    ga = createGatewayApp(t.db, { overrides: { timeoutMs: 2_000, maxRetryAfterMs: 0 } });
    tenant = await seedTenant(t.db, 'llm-steps');
  });
  beforeEach(() => upstream.reset());
  afterEach(async () => {
    await worker?.stop();
    worker = null;
  });
  afterAll(async () => {
    await ga.app.close();
    await upstream.close();
    await t.drop();
  });

  /** Publishes a one-step workflow, runs it on a worker and returns the run and its step. */
  const runStep = async (
    step: Record<string, unknown>,
    input: unknown = {},
    executors: ReadonlyMap<string, StepExecutor> = createBuiltinExecutors([], { gateway: ga.gateway }),
  ) => {
    counter += 1;
    const name = `llm-${counter}`;
    await publishDefinition(t.db, tenant.tenantId, { name, steps: [{ id: 'ask', ...step }] });
    const { runId } = await t.db.tenantTx(tenant.tenantId, (tx) =>
      startRun(tx, tenant.tenantId, { workflowName: name, input, idempotencyKey: null }),
    );
    worker ??= await startWorker({ db: t.db, logger: createLogger({ level: 'silent' }), executors }, OPTIONS);
    const run = await waitForRun(t.db, tenant.tenantId, runId);
    const stepRow = await t.db.tenantTx(tenant.tenantId, (tx) =>
      tx.query<StepRow>(
        `select state, attempt, output, error_code, error_message from run_steps where run_id = $1 and step_key = 'ask'`,
        [runId],
      ),
    );
    const attempts = await t.db.tenantTx(tenant.tenantId, (tx) =>
      tx.query<{ attempt: number; outcome: string; error_code: string | null }>(
        `select attempt, outcome, error_code from step_attempts where run_id = $1 order by attempt`,
        [runId],
      ),
    );
    return { runId, run, step: stepRow.rows[0] as StepRow, attempts: attempts.rows };
  };

  const callsOf = async (runId: string) =>
    (await recordedCalls(t.db, ga.gateway, tenant.tenantId)).filter((c) => c.run_id === runId);

  it('a chat step on the simulated provider outputs the answer, its usage and the cost recorded for the call', async () => {
    const { runId, run, step } = await runStep({
      type: 'llm.chat',
      with: { model: 'simulated/sim-small', prompt: 'Say hello to {{ input.name }}', maxTokens: 40 },
    });
    expect(run.state).toBe('succeeded');
    const output = step.output as LlmChatOutput;
    expect(output).toMatchObject({
      provider: 'simulated',
      model: 'sim-small',
      simulated: true,
      cacheHit: false,
      replayed: false,
      toolCalls: [],
    });
    expect(output.text).toMatch(/\w/);
    expect(output).not.toHaveProperty('json');
    expect(output.usage.promptTokens).toBeGreaterThan(0);
    expect(output.usage.completionTokens).toBeGreaterThan(0);
    expect(output.usage.completionTokens).toBeLessThanOrEqual(40);
    const calls = await callsOf(runId);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      id: output.callId,
      step_id: 'ask',
      outcome: 'succeeded',
      idempotency_key: llmCallKey(runId, 'ask', 0),
      tokens_in: output.usage.promptTokens,
      tokens_out: output.usage.completionTokens,
    });
    expect(output.costMicroUsd).toBeGreaterThan(0);
    expect(Number(calls[0]?.cost_micro_usd)).toBe(output.costMicroUsd);
  });

  it('prompt and system are evaluated from the run input and sent as a system and a user message', async () => {
    const { run, step } = await runStep(
      {
        type: 'llm.chat',
        with: {
          model: 'fake/f-chat',
          system: 'You write for {{ input.audience }}.',
          prompt: 'Summarize: {{ input.text }}',
          temperature: '{{ input.temperature }}',
        },
      },
      { audience: 'children', text: 'The sea is wide.', temperature: 0.2 },
    );
    expect(run.state).toBe('succeeded');
    expect(upstream.requests).toHaveLength(1);
    expect(upstream.requests[0]?.body).toMatchObject({
      model: 'f-chat',
      temperature: 0.2,
      messages: [
        { role: 'system', content: 'You write for children.' },
        { role: 'user', content: 'Summarize: The sea is wide.' },
      ],
    });
    expect((step.output as LlmChatOutput).provider).toBe('fake');
  });

  it('messages may come whole from an expression, and tool calls are output with parsed arguments', async () => {
    upstream.script({ kind: 'reply', toolCalls: [{ name: 'lookup', arguments: '{"city":"Oslo"}' }] });
    const { run, step } = await runStep(
      {
        type: 'llm.chat',
        with: {
          model: 'fake/f-chat',
          messages: '{{ input.history }}',
          tools: [
            {
              type: 'function',
              function: {
                name: 'lookup',
                parameters: { type: 'object', properties: { city: { type: 'string' } } },
              },
            },
          ],
          toolChoice: 'required',
        },
      },
      { history: [{ role: 'user', content: 'Weather in Oslo?' }] },
    );
    expect(run.state).toBe('succeeded');
    expect(upstream.requests[0]?.body).toMatchObject({
      messages: [{ role: 'user', content: 'Weather in Oslo?' }],
      tool_choice: 'required',
      tools: [{ type: 'function', function: { name: 'lookup' } }],
    });
    const output = step.output as LlmChatOutput;
    expect(output.finishReason).toBe('tool_calls');
    expect(output.toolCalls).toEqual([
      { id: expect.any(String), name: 'lookup', arguments: { city: 'Oslo' } },
    ]);
  });

  it('with output.schema the answer is asked for as json_schema and output parsed, valid on the first call', async () => {
    const { runId, run, step } = await runStep({
      type: 'llm.chat',
      with: { model: 'simulated/sim-small', prompt: 'Title this', output: { schema: TITLE_SCHEMA } },
    });
    expect(run.state, run.error_message ?? '').toBe('succeeded');
    const output = step.output as LlmChatOutput;
    const schema = compileInputSchema(TITLE_SCHEMA);
    if (!schema.ok) throw new Error('test schema is invalid');
    expect(schema.validate(output.json)).toEqual({ ok: true });
    expect(JSON.parse(output.text ?? '')).toEqual(output.json);
    expect(await callsOf(runId)).toHaveLength(1);
  });

  it('an answer that is not JSON is re-asked once with the errors, and both calls are recorded and charged', async () => {
    upstream.script(
      { kind: 'reply', content: 'not json' },
      { kind: 'reply', content: '```json\n{"title":"Tides","words":3}\n```' },
    );
    const { runId, run, step } = await runStep({
      type: 'llm.chat',
      with: { model: 'fake/f-chat', prompt: 'Title this', output: { schema: TITLE_SCHEMA, name: 'title' } },
    });
    expect(run.state, run.error_message ?? '').toBe('succeeded');
    expect(upstream.requests).toHaveLength(2);
    expect(upstream.requests[0]?.body).toMatchObject({
      response_format: { type: 'json_schema', json_schema: { name: 'title', schema: TITLE_SCHEMA } },
    });
    const second = (upstream.requests[1]?.body as { messages: { role: string; content: string }[] }).messages;
    expect(second.slice(0, 2)).toEqual([
      { role: 'user', content: 'Title this' },
      { role: 'assistant', content: 'not json' },
    ]);
    expect(second[2]?.role).toBe('user');
    expect(second[2]?.content).toMatch(
      /^Your answer does not match the required JSON Schema: the answer is not JSON/,
    );
    const output = step.output as LlmChatOutput;
    expect(output.json).toEqual({ title: 'Tides', words: 3 });
    const calls = await callsOf(runId);
    expect(calls.map((c) => [c.outcome, c.idempotency_key])).toEqual([
      ['succeeded', llmCallKey(runId, 'ask', 0)],
      ['succeeded', llmCallKey(runId, 'ask', 1)],
    ]);
    expect(output.callId).toBe(calls[1]?.id);
    expect(output.costMicroUsd).toBe(calls.reduce((sum, c) => sum + Number(c.cost_micro_usd), 0));
    expect(output.usage.promptTokens).toBe(calls.reduce((sum, c) => sum + Number(c.tokens_in), 0));
  });

  it('an answer still invalid after the re-asks fails the step with LLM_OUTPUT_INVALID, without another attempt', async () => {
    upstream.script(
      { kind: 'reply', content: '{"title":""}' },
      { kind: 'reply', content: '{"title":"ok","words":"many"}' },
    );
    const { run, step, attempts } = await runStep({
      type: 'llm.chat',
      retry: FAST_RETRY,
      with: { model: 'fake/f-chat', prompt: 'Title this', output: { schema: TITLE_SCHEMA } },
    });
    expect(run.state).toBe('failed');
    expect(step.error_code).toBe('LLM_OUTPUT_INVALID');
    expect(step.error_message).toBe(
      "The model's answer does not match the output schema after 2 calls: /words must be integer",
    );
    expect(attempts).toEqual([{ attempt: 1, outcome: 'failed', error_code: 'LLM_OUTPUT_INVALID' }]);
    expect(upstream.requests).toHaveLength(2);
    const reask = (upstream.requests[1]?.body as { messages: { content: string }[] }).messages[2]?.content;
    expect(reask).toContain('/title must NOT have fewer than 1 characters');
    expect(reask).toContain("the value must have required property 'words'");
  });

  it('output.retries 0 fails on the first invalid answer', async () => {
    upstream.script({ kind: 'reply', content: '[1, 2]' });
    const { step } = await runStep({
      type: 'llm.chat',
      with: { model: 'fake/f-chat', prompt: 'Title this', output: { schema: TITLE_SCHEMA, retries: 0 } },
    });
    expect(step.error_code).toBe('LLM_OUTPUT_INVALID');
    expect(step.error_message).toBe(
      "The model's answer does not match the output schema after 1 call: the value must be object",
    );
    expect(upstream.requests).toHaveLength(1);
  });

  it('a retried attempt replays instead of re-sending: the upstream gets one request and llm_calls one row', async () => {
    upstream.script({ kind: 'reply', content: 'The answer.' });
    const llm = createBuiltinExecutors([], { gateway: ga.gateway });
    const chat = llm.get('llm.chat');
    if (!chat) throw new Error('no llm.chat executor');
    const seen: LlmChatOutput[] = [];
    const crashing: StepExecutor = {
      type: 'llm.chat',
      async execute(ctx) {
        const result = await chat.execute(ctx);
        if (result.kind === 'completed') seen.push(result.output as LlmChatOutput);
        if (ctx.attempt === 1) throw new StepError('WORKER_CRASHED', 'the worker went away', true);
        return result;
      },
    };
    const { runId, run, step, attempts } = await runStep(
      { type: 'llm.chat', retry: FAST_RETRY, with: { model: 'fake/f-chat', prompt: 'Once only' } },
      {},
      new Map([...llm, ['llm.chat', crashing]]),
    );
    expect(run.state, run.error_message ?? '').toBe('succeeded');
    expect(attempts.map((a) => [a.attempt, a.outcome, a.error_code])).toEqual([
      [1, 'failed', 'WORKER_CRASHED'],
      [2, 'succeeded', null],
    ]);
    expect(upstream.requests).toHaveLength(1);
    const calls = await callsOf(runId);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ outcome: 'succeeded', idempotency_key: llmCallKey(runId, 'ask', 0) });
    const output = step.output as LlmChatOutput;
    expect(output.text).toBe('The answer.');
    expect(output.callId).toBe(calls[0]?.id);
    expect(output.replayed).toBe(true);
    expect(seen.map((o) => [o.callId, o.replayed])).toEqual([
      [calls[0]?.id, false],
      [calls[0]?.id, true],
    ]);
    // The replay reports what the call cost, though nothing was charged a second time.
    expect(output.costMicroUsd).toBe(Number(calls[0]?.cost_micro_usd));
  });

  it('a retried attempt replays the re-ask too: each call of the step has its own key', async () => {
    upstream.script(
      { kind: 'reply', content: 'not json' },
      { kind: 'reply', content: '{"title":"T","words":1}' },
    );
    const llm = createBuiltinExecutors([], { gateway: ga.gateway });
    const chat = llm.get('llm.chat');
    if (!chat) throw new Error('no llm.chat executor');
    const crashing: StepExecutor = {
      type: 'llm.chat',
      async execute(ctx) {
        const result = await chat.execute(ctx);
        if (ctx.attempt === 1) throw new StepError('WORKER_CRASHED', 'the worker went away', true);
        return result;
      },
    };
    const { runId, run, step } = await runStep(
      {
        type: 'llm.chat',
        retry: FAST_RETRY,
        with: { model: 'fake/f-chat', prompt: 'Title', output: { schema: TITLE_SCHEMA } },
      },
      {},
      new Map([...llm, ['llm.chat', crashing]]),
    );
    expect(run.state, run.error_message ?? '').toBe('succeeded');
    expect(upstream.requests).toHaveLength(2);
    const calls = await callsOf(runId);
    expect(calls.map((c) => c.idempotency_key)).toEqual([
      llmCallKey(runId, 'ask', 0),
      llmCallKey(runId, 'ask', 1),
    ]);
    expect(step.output).toMatchObject({
      json: { title: 'T', words: 1 },
      callId: calls[1]?.id,
      replayed: true,
    });
  });

  it.each([
    [
      'upstream 400 → UPSTREAM_REJECTED, not retried',
      'fake/f-chat',
      [{ kind: 'status', status: 400 }],
      'UPSTREAM_REJECTED',
      1,
    ],
    ['an unpriced model → MODEL_UNPRICED, not retried', 'fake/f-unpriced', [], 'MODEL_UNPRICED', 1],
    ['an unknown model → MODEL_NOT_FOUND, not retried', 'fake/nothing-here', [], 'MODEL_NOT_FOUND', 1],
    ['an embedding model → WRONG_MODEL_KIND, not retried', 'fake/f-embed', [], 'WRONG_MODEL_KIND', 1],
    [
      'upstream 503 every time → UPSTREAM_FAILED, retried',
      'fake/f-chat',
      [{ kind: 'status', status: 503, times: 3 }],
      'UPSTREAM_FAILED',
      3,
    ],
    [
      'upstream 429 every time → UPSTREAM_RATE_LIMITED, retried',
      'fake/f-chat',
      [{ kind: 'status', status: 429, retryAfterSeconds: 30, times: 3 }],
      'UPSTREAM_RATE_LIMITED',
      3,
    ],
  ] as const)('%s', async (_name, model, faults, code, attemptCount) => {
    upstream.script(...faults);
    const { run, step, attempts } = await runStep({
      type: 'llm.chat',
      retry: FAST_RETRY,
      with: { model, prompt: 'Hello' },
    });
    expect(run.state).toBe('failed');
    expect(step.error_code).toBe(code);
    expect(attempts.map((a) => a.error_code)).toEqual(Array.from({ length: attemptCount }, () => code));
  });

  it('a step whose call failed upstream succeeds on its next attempt, with the same key', async () => {
    upstream.script({ kind: 'status', status: 503 });
    const { runId, run, step, attempts } = await runStep({
      type: 'llm.chat',
      retry: FAST_RETRY,
      with: { model: 'fake/f-chat', prompt: 'Hello' },
    });
    expect(attempts.map((a) => a.error_code)).toEqual(['UPSTREAM_FAILED', null]);
    expect(run.state, step.error_message ?? '').toBe('succeeded');
    expect(upstream.requests).toHaveLength(2);
    const calls = await callsOf(runId);
    expect(calls.map((c) => [c.outcome, c.error_code])).toEqual([
      ['failed', 'UPSTREAM_FAILED'],
      ['succeeded', null],
    ]);
    expect(calls[1]?.idempotency_key).toBe(llmCallKey(runId, 'ask', 0));
  });

  it('every gateway error keeps its code as the step error, retryable only for limits and upstream outages', () => {
    const retryable = new Set<GatewayErrorCode>([
      'GATEWAY_REQUESTS_RATE_LIMITED',
      'GATEWAY_TOKENS_RATE_LIMITED',
      'UPSTREAM_RATE_LIMITED',
      'UPSTREAM_FAILED',
      'UPSTREAM_TIMEOUT',
    ]);
    for (const code of Object.keys(GATEWAY_ERRORS) as GatewayErrorCode[]) {
      const cause = new GatewayError(code, `failed with ${code}`);
      const error = gatewayStepError(cause);
      expect(error).toBeInstanceOf(StepError);
      expect(error).toMatchObject({
        code,
        message: `failed with ${code}`,
        retryable: retryable.has(code),
        cause,
      });
    }
    const other = new Error('not the gateway');
    expect(gatewayStepError(other)).toBe(other);
  });

  it('an input that an expression made invalid fails with LLM_INPUT_INVALID', async () => {
    const { step, attempts } = await runStep(
      { type: 'llm.chat', retry: FAST_RETRY, with: { model: 'fake/f-chat', prompt: '{{ input.n }}' } },
      { n: 5 },
    );
    expect(step.error_code).toBe('LLM_INPUT_INVALID');
    expect(step.error_message).toBe(
      "The step's input is invalid: prompt: Invalid input: expected string, received number",
    );
    expect(attempts).toHaveLength(1);
    expect(upstream.requests).toHaveLength(0);
  });

  it('a worker built without a gateway fails llm steps with LLM_GATEWAY_UNAVAILABLE', async () => {
    const { step, attempts } = await runStep(
      { type: 'llm.embed', retry: FAST_RETRY, with: { model: 'simulated/sim-embed', input: 'x' } },
      {},
      createBuiltinExecutors(),
    );
    expect(step.error_code).toBe('LLM_GATEWAY_UNAVAILABLE');
    expect(step.error_message).toBe('This worker has no LLM gateway, so it cannot run llm steps');
    expect(attempts).toHaveLength(1);
  });

  it('an embed step outputs one vector per input, in order, with the recorded cost', async () => {
    const { runId, run, step } = await runStep(
      {
        type: 'llm.embed',
        with: { model: 'simulated/sim-embed', input: '{{ input.texts }}', dimensions: 8 },
      },
      { texts: ['first text', 'second, longer text'] },
    );
    expect(run.state, run.error_message ?? '').toBe('succeeded');
    const output = step.output as LlmEmbedOutput;
    expect(output.embeddings).toHaveLength(2);
    expect(output.embeddings.every((v) => v.length === 8)).toBe(true);
    expect(output.embeddings[0]).not.toEqual(output.embeddings[1]);
    expect(output).toMatchObject({
      provider: 'simulated',
      model: 'sim-embed',
      simulated: true,
      replayed: false,
    });
    const calls = await callsOf(runId);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      id: output.callId,
      operation: 'embedding',
      idempotency_key: llmCallKey(runId, 'ask', 0),
      tokens_in: output.usage.promptTokens,
    });
    expect(output.usage.promptTokens).toBeGreaterThan(0);
    expect(Number(calls[0]?.cost_micro_usd)).toBe(output.costMicroUsd);
  });

  it('an embed step sends each templated input to the upstream', async () => {
    const { run, step } = await runStep(
      {
        type: 'llm.embed',
        with: { model: 'fake/f-embed', input: ['about {{ input.a }}', 'about {{ input.b }}'] },
      },
      { a: 'cats', b: 'dogs' },
    );
    expect(run.state, run.error_message ?? '').toBe('succeeded');
    expect(upstream.requests[0]?.body).toMatchObject({
      model: 'f-embed',
      input: ['about cats', 'about dogs'],
    });
    expect((step.output as LlmEmbedOutput).embeddings).toHaveLength(2);
  });
});
