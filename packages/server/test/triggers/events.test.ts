import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../../src/api/index.ts';
import { publishDefinition } from '../support/publish.ts';
import { bearer, createTestApp, seedTenant, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

const subscriber = (name: string, on: unknown, input?: unknown) => ({
  name,
  ...(input ? { input } : {}),
  on,
  steps: [{ id: 'noop', type: 'transform', with: { value: '{{ input }}' } }],
});

interface SentEvent {
  event: {
    id: string;
    runs: { workflow: string; runId: string }[];
    skipped: { workflow: string; code: string; message: string }[];
  };
  created: boolean;
}

describe('events', () => {
  let t: TestDatabase;
  let app: ApiServer;
  let tenant: TestTenant;

  const send = async (payload: Record<string, unknown>, status = 201) => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: bearer(tenant.keys.operator),
      payload,
    });
    expect(res.statusCode, res.body).toBe(status);
    return res.json<SentEvent>();
  };
  const workflowsOf = (sent: SentEvent) => sent.event.runs.map((r) => r.workflow).sort();

  beforeAll(async () => {
    t = await createTestDatabase();
    app = createTestApp(t.db);
    tenant = await seedTenant(t.db, 'events');
    await publishDefinition(
      t.db,
      tenant.tenantId,
      subscriber('all-orders', { events: [{ name: 'order.created' }] }),
    );
    await publishDefinition(
      t.db,
      tenant.tenantId,
      subscriber('big-orders', {
        events: [{ name: 'order.created', filter: '{{ event.payload.amount > 100 }}' }],
      }),
    );
    await publishDefinition(
      t.db,
      tenant.tenantId,
      subscriber(
        'typed-orders',
        { events: [{ name: 'order.created', filter: '{{ event.payload.amount > 1000 }}' }] },
        { type: 'object', properties: { customer: { type: 'string' } }, required: ['customer'] },
      ),
    );
    await publishDefinition(
      t.db,
      tenant.tenantId,
      subscriber('signups', { events: [{ name: 'user.signed_up' }] }),
    );
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('an event starts one run of each subscribed workflow whose filter matches, with the payload as input', async () => {
    const small = await send({ name: 'order.created', payload: { amount: 5 } });
    expect(workflowsOf(small)).toEqual(['all-orders']);
    const big = await send({ name: 'order.created', payload: { amount: 500 } });
    expect(workflowsOf(big)).toEqual(['all-orders', 'big-orders']);
    const runId = big.event.runs.find((r) => r.workflow === 'big-orders')?.runId;
    const run = await app.inject({
      method: 'GET',
      url: `/v1/runs/${runId}`,
      headers: bearer(tenant.keys.viewer),
    });
    expect(run.json()).toMatchObject({ trigger: 'event', input: { amount: 500 } });
    const listed = await app.inject({
      method: 'GET',
      url: '/v1/runs?trigger=event',
      headers: bearer(tenant.keys.viewer),
    });
    expect(listed.json().data.length).toBeGreaterThanOrEqual(3);
  });

  it('an event nobody subscribes to is recorded and starts nothing', async () => {
    const sent = await send({ name: 'nobody.listens', payload: { a: 1 } });
    expect(sent.event.runs).toEqual([]);
    const read = await app.inject({
      method: 'GET',
      url: `/v1/events/${sent.event.id}`,
      headers: bearer(tenant.keys.viewer),
    });
    expect(read.json()).toMatchObject({ name: 'nobody.listens', payload: { a: 1 }, runs: [], skipped: [] });
  });

  it('the same event id twice starts nothing the second time and returns the first event', async () => {
    const first = await send({ name: 'user.signed_up', payload: { user: 'u1' }, id: 'signup-u1' });
    const second = await send({ name: 'user.signed_up', payload: { user: 'u1' }, id: 'signup-u1' }, 200);
    expect(first.created).toBe(true);
    expect(second).toEqual({ ...first, created: false });
    const runs = await t.db.ownerTx((tx) =>
      tx.query<{ n: number }>(`select count(*)::int as n from runs where trigger_ref = $1`, [
        `event:${first.event.id}`,
      ]),
    );
    expect(runs.rows[0]?.n).toBe(1);
  });

  it('a workflow whose input schema refuses the payload is listed as skipped and the others still run', async () => {
    const sent = await send({ name: 'order.created', payload: { amount: 5000 } });
    expect(workflowsOf(sent)).toEqual(['all-orders', 'big-orders']);
    expect(sent.event.skipped).toEqual([
      { workflow: 'typed-orders', code: 'RUN_INPUT_INVALID', message: expect.any(String) },
    ]);
  });

  it('only the latest version subscribes, and an archived workflow does not', async () => {
    await publishDefinition(t.db, tenant.tenantId, subscriber('moving', { events: [{ name: 'old.name' }] }));
    await publishDefinition(t.db, tenant.tenantId, subscriber('moving', { events: [{ name: 'new.name' }] }));
    expect(workflowsOf(await send({ name: 'old.name' }))).toEqual([]);
    expect(workflowsOf(await send({ name: 'new.name' }))).toEqual(['moving']);
    await app.inject({
      method: 'POST',
      url: '/v1/workflows/moving/archive',
      headers: bearer(tenant.keys.owner),
    });
    expect(workflowsOf(await send({ name: 'new.name' }))).toEqual([]);
  });

  it('a filter that reads anything but event is refused at publish with its position', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/workflows',
      headers: bearer(tenant.keys.owner),
      payload: {
        definition: subscriber('bad-filter', {
          events: [{ name: 'x', filter: '{{ steps.noop.output > 1 }}' }],
        }),
      },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details.problems).toEqual([
      expect.objectContaining({ code: 'EXPRESSION_UNKNOWN_NAME', path: '/on/events/0/filter' }),
    ]);
    const badName = await app.inject({
      method: 'POST',
      url: '/v1/workflows',
      headers: bearer(tenant.keys.owner),
      payload: { definition: subscriber('bad-name', { events: [{ name: ' spaces ' }] }) },
    });
    expect(badName.statusCode).toBe(422);
  });

  it('events are listed newest first and filtered by name', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/v1/events?name=order.created&limit=2',
      headers: bearer(tenant.keys.viewer),
    });
    const page = res.json<{ data: { name: string; payload: { amount: number } }[]; nextCursor: string }>();
    expect(page.data.map((e) => e.payload.amount)).toEqual([5000, 500]);
    const next = await app.inject({
      method: 'GET',
      url: `/v1/events?name=order.created&limit=2&cursor=${page.nextCursor}`,
      headers: bearer(tenant.keys.viewer),
    });
    expect(next.json().data.map((e: { payload: { amount: number } }) => e.payload.amount)).toEqual([5]);
  });

  it('a viewer cannot send events', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: bearer(tenant.keys.viewer),
      payload: { name: 'order.created' },
    });
    expect(res.statusCode).toBe(403);
  });
});
