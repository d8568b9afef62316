import { Writable } from 'node:stream';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiServer, createRateLimiter, type ApiServer } from '../../src/api/index.ts';
import { createSchedule, runSchedulerPass, startWorker, type Worker } from '../../src/engine/index.ts';
import { openGateway, type Gateway } from '../../src/gateway/index.ts';
import { createLogger, createTracing, type Tracing } from '../../src/observability/index.ts';
import { createBuiltinExecutors, type StepExecutor } from '../../src/steps/index.ts';
import { waitForRun } from '../support/engine.ts';
import { testSecrets } from '../support/gateway.ts';
import { publishDefinition } from '../support/publish.ts';
import { bearer, seedTenant, testConfig, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

/**
 * One run started through the API and executed by a worker with its own tracer provider (a
 * separate process as far as tracing goes: its own exporter) on the same database yields one
 * trace: HTTP request → run → step attempts → gateway call, with ids, never content.
 */
const PROMPT = 'Write a haiku about the lighthouse keeper Aurelio Vantablack';
const CALLER_TRACE = '0af7651916cd43dd8448eb211c80319c';
const CALLER_SPAN = 'b7ad6b7169203331';

interface Process {
  exporter: InMemorySpanExporter;
  tracing: Tracing;
  gateway: Gateway;
}

const lines: Record<string, unknown>[] = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line));
    done();
  },
});

function openProcess(t: TestDatabase, serviceName: string): Process {
  const exporter = new InMemorySpanExporter();
  const tracing = createTracing({ serviceName, exporter });
  const config = testConfig();
  const logger = createLogger({ level: 'silent' });
  const gateway = openGateway({ db: t.db, logger, config, secrets: testSecrets(), tracing });
  return { exporter, tracing, gateway };
}

/** A step that writes one log line through the logger the worker gives it. */
const loggingStep: StepExecutor = {
  type: 'transform',
  async execute(ctx) {
    ctx.logger.info('transform step ran');
    return { kind: 'completed', output: { ok: true } };
  },
};

const spanJson = (span: ReadableSpan) =>
  JSON.stringify({
    name: span.name,
    attributes: span.attributes,
    events: span.events,
    status: span.status,
    links: span.links,
  });

describe('traces', () => {
  let t: TestDatabase;
  let tenant: TestTenant;
  let api: Process;
  let work: Process;
  let app: ApiServer;
  let worker: Worker;

  beforeAll(async () => {
    t = await createTestDatabase();
    tenant = await seedTenant(t.db, 'traces');
    api = openProcess(t, 'shoal-api');
    work = openProcess(t, 'shoal-worker');
    const config = testConfig();
    app = createApiServer({
      config,
      db: t.db,
      logger: createLogger({ level: 'silent' }),
      rateLimiter: createRateLimiter({ perMinute: config.SHOAL_RATE_LIMIT_PER_MINUTE }),
      secrets: testSecrets(),
      gateway: api.gateway,
      tracing: api.tracing,
    });
    const executors = new Map(createBuiltinExecutors([], { gateway: work.gateway }));
    executors.set('transform', loggingStep);
    worker = await startWorker(
      {
        db: t.db,
        logger: createLogger({ level: 'info', destination: sink }),
        executors,
        tracing: work.tracing,
      },
      {
        pool: 'shared',
        workerId: 'trace-worker',
        concurrency: 2,
        leaseMs: 5_000,
        pollMs: 50,
        maintenanceMs: 50,
      },
    );
    await publishDefinition(t.db, tenant.tenantId, {
      name: 'haiku',
      steps: [
        {
          id: 'ask',
          type: 'llm.chat',
          with: { model: 'simulated/sim-small', prompt: PROMPT, maxTokens: 30 },
        },
        { id: 'shape', type: 'transform', needs: ['ask'], with: { value: '{{ steps.ask.output.text }}' } },
      ],
    });
  });

  afterAll(async () => {
    await worker.stop();
    await app.close();
    await api.gateway.close();
    await work.gateway.close();
    await api.tracing.shutdown();
    await work.tracing.shutdown();
    await t.drop();
  });

  it('a run started through the API is one connected trace across the api and the worker, without content', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/workflows/haiku/runs',
      headers: { ...bearer(tenant.keys.developer), traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` },
      payload: { input: {} },
    });
    expect(response.statusCode).toBe(201);
    const runId = (response.json() as { run: { id: string } }).run.id;
    const run = await waitForRun(t.db, tenant.tenantId, runId);
    expect(run.state).toBe('succeeded');
    // The run's span is emitted by the worker's sweep once the run has finished.
    const deadline = Date.now() + 10_000;
    while (!work.exporter.getFinishedSpans().some((s) => s.name === 'shoal.run') && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));

    const apiSpans = api.exporter.getFinishedSpans();
    const workerSpans = work.exporter.getFinishedSpans();
    const all = [...apiSpans, ...workerSpans];
    expect(new Set(all.map((s) => s.spanContext().traceId))).toEqual(new Set([CALLER_TRACE]));

    const http = apiSpans.find((s) => s.name === 'POST /v1/workflows/:name/runs');
    expect(http?.parentSpanContext?.spanId).toBe(CALLER_SPAN);
    expect(http?.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/v1/workflows/:name/runs',
      'http.response.status_code': 201,
      'shoal.tenant_id': tenant.tenantId,
    });
    expect(apiSpans.map((s) => s.name)).toEqual([http?.name]);

    const runSpans = workerSpans.filter((s) => s.name === 'shoal.run');
    expect(runSpans).toHaveLength(1);
    const runSpan = runSpans[0] as ReadableSpan;
    expect(runSpan.parentSpanContext?.spanId).toBe(http?.spanContext().spanId);
    expect(runSpan.resource.attributes['service.name']).toBe('shoal-worker');
    const workflowId = runSpan.attributes['shoal.workflow_id'];
    expect(runSpan.attributes).toMatchObject({
      'shoal.tenant_id': tenant.tenantId,
      'shoal.run_id': runId,
      'shoal.run.state': 'succeeded',
      'shoal.trigger_kind': 'api',
      'shoal.workflow_version': 1,
    });
    const steps = workerSpans.filter((s) => s.name === 'shoal.step');
    expect(steps.map((s) => s.attributes['shoal.step_key']).sort()).toEqual(['ask', 'shape']);
    for (const step of steps) {
      expect(step.parentSpanContext?.spanId).toBe(runSpan.spanContext().spanId);
      expect(step.attributes).toMatchObject({
        'shoal.tenant_id': tenant.tenantId,
        'shoal.workflow_id': workflowId,
        'shoal.run_id': runId,
        'shoal.attempt': 1,
        'shoal.step.outcome': 'succeeded',
      });
    }
    const ask = steps.find((s) => s.attributes['shoal.step_key'] === 'ask') as ReadableSpan;
    expect(ask.attributes['shoal.step_type']).toBe('llm.chat');
    expect(steps.find((s) => s !== ask)?.attributes['shoal.step_type']).toBe('transform');

    const calls = workerSpans.filter((s) => s.name === 'shoal.gateway.chat');
    expect(calls).toHaveLength(1);
    const call = calls[0] as ReadableSpan;
    expect(call.parentSpanContext?.spanId).toBe(ask.spanContext().spanId);
    expect(call.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'simulated/sim-small',
      'gen_ai.provider.name': 'simulated',
      'gen_ai.response.model': 'sim-small',
      'shoal.tenant_id': tenant.tenantId,
      'shoal.run_id': runId,
      'shoal.step_key': 'ask',
      'shoal.llm.cache_hit': false,
      'shoal.llm.simulated': true,
      'shoal.llm.outcome': 'succeeded',
    });
    expect(call.attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0);
    expect(call.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
    expect(typeof call.attributes['shoal.llm.cost_micro_usd']).toBe('number');

    // No prompt, and no word of the answer, anywhere in any span.
    const answer = await t.db.tenantTx(tenant.tenantId, (tx) =>
      tx.query<{ text: string }>(
        `select output->>'text' as text from run_steps where run_id = $1 and step_key = 'ask'`,
        [runId],
      ),
    );
    const text = answer.rows[0]?.text ?? '';
    expect(text.length).toBeGreaterThan(0);
    const everything = all.map(spanJson).join('\n');
    expect(everything).not.toContain('Aurelio');
    expect(everything).not.toContain('lighthouse');
    for (const word of text.split(/\W+/).filter((w) => w.length >= 6)) expect(everything).not.toContain(word);
    expect(everything).not.toContain(tenant.keys.developer);

    // The step's log line carries the tenant, run, step and the attempt span's ids.
    const logged = lines.find((l) => l.msg === 'transform step ran');
    const shape = steps.find((s) => s !== ask) as ReadableSpan;
    expect(logged).toMatchObject({
      tenantId: tenant.tenantId,
      runId,
      stepKey: 'shape',
      traceId: CALLER_TRACE,
      spanId: shape.spanContext().spanId,
    });
  });

  it("a child run's span goes under the attempt of the workflow step that started it, in the same trace", async () => {
    await publishDefinition(t.db, tenant.tenantId, {
      name: 'inner',
      steps: [{ id: 'work', type: 'transform', with: { value: 1 } }],
    });
    await publishDefinition(t.db, tenant.tenantId, {
      name: 'outer',
      steps: [{ id: 'call', type: 'workflow', with: { name: 'inner' } }],
    });
    work.exporter.reset();
    api.exporter.reset();
    const response = await app.inject({
      method: 'POST',
      url: '/v1/workflows/outer/runs',
      headers: bearer(tenant.keys.developer),
      payload: { input: {} },
    });
    const runId = (response.json() as { run: { id: string } }).run.id;
    expect((await waitForRun(t.db, tenant.tenantId, runId)).state).toBe('succeeded');
    const deadline = Date.now() + 10_000;
    const runSpans = () => work.exporter.getFinishedSpans().filter((s) => s.name === 'shoal.run');
    while (runSpans().length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));

    const spans = work.exporter.getFinishedSpans();
    const http = api.exporter.getFinishedSpans()[0] as ReadableSpan;
    expect(new Set(spans.map((s) => s.spanContext().traceId))).toEqual(new Set([http.spanContext().traceId]));
    const outer = runSpans().find((s) => s.attributes['shoal.run_id'] === runId) as ReadableSpan;
    const inner = runSpans().find((s) => s !== outer) as ReadableSpan;
    expect(inner.attributes['shoal.trigger_kind']).toBe('workflow');
    const byKey = (key: string) =>
      spans.filter((s) => s.name === 'shoal.step' && s.attributes['shoal.step_key'] === key);
    // The workflow step's attempt parks (outcome waiting) once its child run is created.
    const callAttempts = byKey('call');
    expect(callAttempts.map((s) => s.parentSpanContext?.spanId)).toEqual(
      callAttempts.map(() => outer.spanContext().spanId),
    );
    const parked = callAttempts.find((s) => s.attributes['shoal.step.outcome'] === 'waiting') as ReadableSpan;
    expect(inner.parentSpanContext?.spanId).toBe(parked.spanContext().spanId);
    expect(byKey('work').map((s) => s.parentSpanContext?.spanId)).toEqual([inner.spanContext().spanId]);
  });

  it('each run an event starts is a run span under the span of the request that sent the event', async () => {
    for (const name of ['on-ping-a', 'on-ping-b'])
      await publishDefinition(t.db, tenant.tenantId, {
        name,
        on: { events: [{ name: 'trace.ping' }] },
        steps: [{ id: 'noop', type: 'transform', with: { value: 1 } }],
      });
    work.exporter.reset();
    api.exporter.reset();
    const response = await app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: bearer(tenant.keys.operator),
      payload: { name: 'trace.ping', payload: {} },
    });
    expect(response.statusCode).toBe(201);
    const runIds = (response.json() as { event: { runs: { runId: string }[] } }).event.runs.map(
      (r) => r.runId,
    );
    expect(runIds).toHaveLength(2);
    for (const runId of runIds) await waitForRun(t.db, tenant.tenantId, runId);
    const deadline = Date.now() + 10_000;
    const runSpans = () => work.exporter.getFinishedSpans().filter((s) => s.name === 'shoal.run');
    while (runSpans().length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const http = api.exporter.getFinishedSpans().find((s) => s.name === 'POST /v1/events') as ReadableSpan;
    expect(
      runSpans()
        .map((s) => s.attributes['shoal.run_id'])
        .sort(),
    ).toEqual([...runIds].sort());
    for (const span of runSpans()) {
      expect(span.attributes['shoal.trigger_kind']).toBe('event');
      expect(span.parentSpanContext?.spanId).toBe(http.spanContext().spanId);
      expect(span.spanContext().traceId).toBe(http.spanContext().traceId);
    }
    expect(new Set(runSpans().map((s) => s.spanContext().spanId)).size).toBe(2);
  });

  it('a run a schedule fires is the root span of a trace of its own', async () => {
    await publishDefinition(t.db, tenant.tenantId, {
      name: 'nightly',
      steps: [{ id: 'noop', type: 'transform', with: { value: 1 } }],
    });
    const created = new Date('2040-01-01T00:00:30Z');
    await t.db.tenantTx(tenant.tenantId, (tx) =>
      createSchedule(
        tx,
        tenant.tenantId,
        {
          workflowName: 'nightly',
          cron: '0 * * * *',
          timezone: 'UTC',
          input: {},
          catchUp: 'latest',
          description: '',
          paused: false,
          createdBy: 'test',
        },
        created,
      ),
    );
    work.exporter.reset();
    const fired = await runSchedulerPass({
      db: t.db,
      logger: createLogger({ level: 'silent' }),
      tracing: work.tracing,
      now: () => new Date('2040-01-01T01:00:01Z'),
    });
    const runId = fired.flatMap((f) => f.fires.map((x) => x.runId)).find(Boolean) as string;
    await waitForRun(t.db, tenant.tenantId, runId);
    const deadline = Date.now() + 10_000;
    const runSpan = () =>
      work.exporter
        .getFinishedSpans()
        .find((s) => s.name === 'shoal.run' && s.attributes['shoal.run_id'] === runId);
    while (!runSpan() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const span = runSpan() as ReadableSpan;
    expect(span.attributes['shoal.trigger_kind']).toBe('schedule');
    expect(span.parentSpanContext).toBeUndefined();
    const stored = await t.db.tenantTx(tenant.tenantId, (tx) =>
      tx.query<{ trace_context: string }>('select trace_context from runs where id = $1', [runId]),
    );
    const { traceId, spanId } = span.spanContext();
    expect(stored.rows[0]?.trace_context).toBe(`00-${traceId}-${spanId}-01`);
    const step = work.exporter
      .getFinishedSpans()
      .find((s) => s.name === 'shoal.step' && s.attributes['shoal.run_id'] === runId);
    expect(step?.parentSpanContext?.spanId).toBe(spanId);
    expect(step?.spanContext().traceId).toBe(traceId);
  });

  it('a direct chat completion is an HTTP span with the gateway call as its child', async () => {
    api.exporter.reset();
    const response = await app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: bearer(tenant.keys.developer),
      payload: {
        model: 'simulated/sim-small',
        messages: [{ role: 'user', content: PROMPT }],
        max_tokens: 20,
      },
    });
    expect(response.statusCode).toBe(200);
    const spans = api.exporter.getFinishedSpans();
    const http = spans.find((s) => s.name === 'POST /v1/chat/completions') as ReadableSpan;
    const call = spans.find((s) => s.name === 'shoal.gateway.chat') as ReadableSpan;
    expect(http.parentSpanContext).toBeUndefined();
    expect(call.spanContext().traceId).toBe(http.spanContext().traceId);
    expect(call.parentSpanContext?.spanId).toBe(http.spanContext().spanId);
    expect(call.attributes['shoal.api_key_id']).toBe(tenant.keyIds.developer);
    expect(spans.map(spanJson).join('\n')).not.toContain('Aurelio');
  });

  it('a failed request records its error code and an error status on its span', async () => {
    api.exporter.reset();
    const response = await app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: bearer(tenant.keys.developer),
      payload: { model: 'simulated/no-such-model', messages: [{ role: 'user', content: PROMPT }] },
    });
    expect(response.json()).toMatchObject({ error: { code: 'MODEL_NOT_FOUND' } });
    const spans = api.exporter.getFinishedSpans();
    const http = spans.find((s) => s.name === 'POST /v1/chat/completions') as ReadableSpan;
    const call = spans.find((s) => s.name === 'shoal.gateway.chat') as ReadableSpan;
    expect(http.attributes).toMatchObject({
      'shoal.error.code': 'MODEL_NOT_FOUND',
      'http.response.status_code': 404,
    });
    expect(call.attributes['shoal.llm.outcome']).toBe('MODEL_NOT_FOUND');
    expect(call.status).toEqual({ code: 2, message: 'MODEL_NOT_FOUND' });
  });
});
