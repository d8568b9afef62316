import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiServer, createRateLimiter } from '../../src/api/index.ts';
import { createLogger } from '../../src/observability/index.ts';
import { waitForRun } from '../support/engine.ts';
import { publishDefinition } from '../support/publish.ts';
import { bearer, seedTenant, testConfig, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import {
  lineSink,
  spanJson,
  spansOnce,
  startTracedPair,
  type TracedPair,
} from '../support/traced-processes.ts';

/**
 * One run started through the API and executed by a worker with its own tracer provider (a
 * separate process as far as tracing goes: its own exporter) on the same database yields one
 * trace: HTTP request → run → step attempts → gateway call, with ids, never content.
 */
const PROMPT = 'Write a haiku about the lighthouse keeper Aurelio Vantablack';
const CALLER_TRACE = '0af7651916cd43dd8448eb211c80319c';
const CALLER_SPAN = 'b7ad6b7169203331';

describe('traces', () => {
  let t: TestDatabase;
  let tenant: TestTenant;
  let pair: TracedPair;

  beforeAll(async () => {
    t = await createTestDatabase();
    tenant = await seedTenant(t.db, 'traces');
    pair = await startTracedPair(t);
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
    await pair.close();
    await t.drop();
  });

  it('a run started through the API is one connected trace across the api and the worker, without content', async () => {
    const response = await pair.app.inject({
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
    await spansOnce(pair.work.exporter, (s) => s.name === 'shoal.run');

    const apiSpans = pair.api.exporter.getFinishedSpans();
    const workerSpans = pair.work.exporter.getFinishedSpans();
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
    const logged = pair.workerLines.find((l) => l.msg === 'transform step ran');
    const shape = steps.find((s) => s !== ask) as ReadableSpan;
    expect(logged).toMatchObject({
      tenantId: tenant.tenantId,
      runId,
      stepKey: 'shape',
      traceId: CALLER_TRACE,
      spanId: shape.spanContext().spanId,
    });
  });

  it('a direct chat completion is an HTTP span with the gateway call as its child', async () => {
    pair.api.exporter.reset();
    const response = await pair.app.inject({
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
    const spans = pair.api.exporter.getFinishedSpans();
    const http = spans.find((s) => s.name === 'POST /v1/chat/completions') as ReadableSpan;
    const call = spans.find((s) => s.name === 'shoal.gateway.chat') as ReadableSpan;
    expect(http.parentSpanContext).toBeUndefined();
    expect(call.spanContext().traceId).toBe(http.spanContext().traceId);
    expect(call.parentSpanContext?.spanId).toBe(http.spanContext().spanId);
    expect(call.attributes['shoal.api_key_id']).toBe(tenant.keyIds.developer);
    expect(spans.map(spanJson).join('\n')).not.toContain('Aurelio');
  });

  it('a streamed completion is one gateway span, ended with the usage once the stream ended', async () => {
    pair.api.exporter.reset();
    const response = await pair.app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: bearer(tenant.keys.developer),
      payload: {
        model: 'simulated/sim-small',
        messages: [{ role: 'user', content: PROMPT }],
        max_tokens: 20,
        stream: true,
        stream_options: { include_usage: true },
      },
    });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('data: [DONE]');
    const spans = pair.api.exporter.getFinishedSpans();
    const http = spans.find((s) => s.name === 'POST /v1/chat/completions') as ReadableSpan;
    const calls = spans.filter((s) => s.name === 'shoal.gateway.chat_stream');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.parentSpanContext?.spanId).toBe(http.spanContext().spanId);
    expect(calls[0]?.attributes).toMatchObject({
      'shoal.llm.outcome': 'succeeded',
      'gen_ai.provider.name': 'simulated',
    });
    expect(calls[0]?.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
    expect(spans.map(spanJson).join('\n')).not.toContain('Aurelio');
  });

  it("a request's log lines carry its request id, tenant, and the ids of its span", async () => {
    pair.api.exporter.reset();
    const requestLines: Record<string, unknown>[] = [];
    const config = testConfig({ SHOAL_LOG_LEVEL: 'debug' });
    const logged = createApiServer({
      config,
      db: t.db,
      logger: createLogger({
        level: 'debug',
        destination: lineSink(requestLines),
      }),
      rateLimiter: createRateLimiter({ perMinute: config.SHOAL_RATE_LIMIT_PER_MINUTE }),
      tracing: pair.api.tracing,
    });
    const response = await logged.inject({
      method: 'GET',
      url: '/v1/tenant',
      headers: { ...bearer(tenant.keys.viewer), 'x-request-id': 'req-trace-log-1' },
    });
    expect(response.statusCode).toBe(200);
    await logged.close();
    const http = pair.api.exporter
      .getFinishedSpans()
      .find((s) => s.name === 'GET /v1/tenant') as ReadableSpan;
    expect(requestLines.find((l) => l.msg === 'request completed')).toMatchObject({
      reqId: 'req-trace-log-1',
      tenantId: tenant.tenantId,
      traceId: http.spanContext().traceId,
      spanId: http.spanContext().spanId,
    });
    expect(http.attributes['shoal.request_id']).toBe('req-trace-log-1');
  });

  it('a failed request records its error code and an error status on its span', async () => {
    pair.api.exporter.reset();
    const response = await pair.app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: bearer(tenant.keys.developer),
      payload: { model: 'simulated/no-such-model', messages: [{ role: 'user', content: PROMPT }] },
    });
    expect(response.json()).toMatchObject({ error: { code: 'MODEL_NOT_FOUND' } });
    const spans = pair.api.exporter.getFinishedSpans();
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
