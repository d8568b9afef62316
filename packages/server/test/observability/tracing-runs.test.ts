import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSchedule, runSchedulerPass } from '../../src/engine/index.ts';
import { createLogger } from '../../src/observability/index.ts';
import { waitForRun } from '../support/engine.ts';
import { publishDefinition } from '../support/publish.ts';
import { bearer, seedTenant, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import { spansOnce, startTracedPair, type TracedPair } from '../support/traced-processes.ts';

/**
 * Where a run's span goes when something else than `POST /v1/workflows/:name/runs` starts it
 * (a workflow step, an event, a schedule), and how a failed attempt and run end their spans.
 */
const PROMPT = 'Write a haiku about the lighthouse keeper Aurelio Vantablack';

describe('run traces', () => {
  let t: TestDatabase;
  let tenant: TestTenant;
  let pair: TracedPair;

  beforeAll(async () => {
    t = await createTestDatabase();
    tenant = await seedTenant(t.db, 'run-traces');
    pair = await startTracedPair(t);
  });

  afterAll(async () => {
    await pair.close();
    await t.drop();
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
    pair.work.exporter.reset();
    pair.api.exporter.reset();
    const response = await pair.app.inject({
      method: 'POST',
      url: '/v1/workflows/outer/runs',
      headers: bearer(tenant.keys.developer),
      payload: { input: {} },
    });
    const runId = (response.json() as { run: { id: string } }).run.id;
    expect((await waitForRun(t.db, tenant.tenantId, runId)).state).toBe('succeeded');
    const runs = await spansOnce(pair.work.exporter, (s) => s.name === 'shoal.run', 2);
    const runSpans = () => runs;

    const spans = pair.work.exporter.getFinishedSpans();
    const http = pair.api.exporter.getFinishedSpans()[0] as ReadableSpan;
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
    pair.work.exporter.reset();
    pair.api.exporter.reset();
    const response = await pair.app.inject({
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
    const runs = await spansOnce(pair.work.exporter, (s) => s.name === 'shoal.run', 2);
    const runSpans = () => runs;
    const http = pair.api.exporter
      .getFinishedSpans()
      .find((s) => s.name === 'POST /v1/events') as ReadableSpan;
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
    pair.work.exporter.reset();
    const fired = await runSchedulerPass({
      db: t.db,
      logger: createLogger({ level: 'silent' }),
      tracing: pair.work.tracing,
      now: () => new Date('2040-01-01T01:00:01Z'),
    });
    const runId = fired.flatMap((f) => f.fires.map((x) => x.runId)).find(Boolean) as string;
    await waitForRun(t.db, tenant.tenantId, runId);
    const [span] = (await spansOnce(
      pair.work.exporter,
      (s) => s.name === 'shoal.run' && s.attributes['shoal.run_id'] === runId,
    )) as [ReadableSpan];
    expect(span.attributes['shoal.trigger_kind']).toBe('schedule');
    expect(span.parentSpanContext).toBeUndefined();
    const stored = await t.db.tenantTx(tenant.tenantId, (tx) =>
      tx.query<{ trace_context: string }>('select trace_context from runs where id = $1', [runId]),
    );
    const { traceId, spanId } = span.spanContext();
    expect(stored.rows[0]?.trace_context).toBe(`00-${traceId}-${spanId}-01`);
    const step = pair.work.exporter
      .getFinishedSpans()
      .find((s) => s.name === 'shoal.step' && s.attributes['shoal.run_id'] === runId);
    expect(step?.parentSpanContext?.spanId).toBe(spanId);
    expect(step?.spanContext().traceId).toBe(traceId);
  });

  it('a failed step attempt ends its span with the error code and an error status', async () => {
    await publishDefinition(t.db, tenant.tenantId, {
      name: 'broken',
      steps: [{ id: 'ask', type: 'llm.chat', with: { model: 'simulated/no-such-model', prompt: PROMPT } }],
    });
    pair.work.exporter.reset();
    const response = await pair.app.inject({
      method: 'POST',
      url: '/v1/workflows/broken/runs',
      headers: bearer(tenant.keys.developer),
      payload: { input: {} },
    });
    const runId = (response.json() as { run: { id: string } }).run.id;
    expect((await waitForRun(t.db, tenant.tenantId, runId)).state).toBe('failed');
    const [run] = await spansOnce(pair.work.exporter, (s) => s.name === 'shoal.run');
    const runSpan = () => run;
    const step = pair.work.exporter.getFinishedSpans().find((s) => s.name === 'shoal.step') as ReadableSpan;
    expect(step.attributes).toMatchObject({
      'shoal.step.outcome': 'failed',
      'shoal.error.code': 'MODEL_NOT_FOUND',
    });
    expect(step.status).toEqual({ code: 2, message: 'MODEL_NOT_FOUND' });
    expect(runSpan()?.attributes).toMatchObject({ 'shoal.run.state': 'failed' });
    expect(runSpan()?.status.code).toBe(2);
  });
});
