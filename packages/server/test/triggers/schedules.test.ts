import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../../src/api/index.ts';
import type { Database } from '../../src/db/index.ts';
import {
  compileCron,
  createSchedule,
  dueFires,
  runSchedulerPass,
  scheduleFireKey,
  updateSchedule,
  type CatchUpPolicy,
  type CompiledCron,
} from '../../src/engine/index.ts';
import { createLogger } from '../../src/observability/index.ts';
import { publishDefinition } from '../support/publish.ts';
import { bearer, createTestApp, seedTenant, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, TEST_DRIVER, type TestDatabase } from '../support/test-db.ts';
import { allowManyRunStarts } from '../support/scheduling.ts';

const TICK = {
  name: 'tick',
  input: { type: 'object', properties: { n: { type: 'number' } } },
  steps: [{ id: 'noop', type: 'transform', with: { value: '{{ input.n }}' } }],
};
const logger = createLogger({ level: 'silent' });
const at = (iso: string) => new Date(iso);
const cron = (expression: string, timezone = 'UTC'): CompiledCron => {
  const compiled = compileCron(expression, timezone, at('2025-01-01T00:00:00Z'));
  if (!compiled.ok) throw new Error(compiled.message);
  return compiled.cron;
};

describe('cron in a time zone', () => {
  it('a daily 02:30 in Europe/Berlin fires once on the spring-forward day, just after the gap', () => {
    const c = cron('30 2 * * *', 'Europe/Berlin');
    const fires: string[] = [];
    for (let t: Date | null = at('2025-03-28T12:00:00Z'); fires.length < 3;) {
      t = c.next(t as Date);
      fires.push((t as Date).toISOString());
    }
    // 02:30 CET, then 03:00 CEST (02:30 does not exist on 30 March), then 02:30 CEST.
    expect(fires).toEqual([
      '2025-03-29T01:30:00.000Z',
      '2025-03-30T01:00:00.000Z',
      '2025-03-31T00:30:00.000Z',
    ]);
  });

  it('a daily 02:30 in Europe/Berlin fires once on the fall-back day, at the first 02:30', () => {
    const c = cron('30 2 * * *', 'Europe/Berlin');
    const first = c.next(at('2025-10-25T12:00:00Z'));
    const second = c.next(first as Date);
    expect([first?.toISOString(), second?.toISOString()]).toEqual([
      '2025-10-26T00:30:00.000Z',
      '2025-10-27T01:30:00.000Z',
    ]);
  });

  it('an every-30-minutes schedule keeps a real 30 minutes through the fall-back hour', () => {
    const c = cron('*/30 * * * *', 'Europe/Berlin');
    let t: Date = at('2025-10-25T23:59:00Z');
    const fires: number[] = [];
    for (let i = 0; i < 8; i += 1) {
      t = c.next(t) as Date;
      fires.push(t.getTime());
    }
    expect(fires.slice(1).map((f, i) => f - (fires[i] as number))).toEqual(Array(7).fill(30 * 60_000));
  });

  it('6 fields are seconds first; 7 fields, unknown zones and never-firing dates are refused', () => {
    const c = cron('15 * * * * *');
    expect(c.next(at('2025-01-01T00:00:00Z'))?.toISOString()).toBe('2025-01-01T00:00:15.000Z');
    expect(compileCron('* * * * * * *', 'UTC')).toMatchObject({ ok: false, field: 'cron' });
    expect(compileCron('0 0 30 2 *', 'UTC')).toMatchObject({
      ok: false,
      message: 'The cron expression never fires',
    });
    expect(compileCron('* * * * *', 'Mars/Olympus')).toMatchObject({ ok: false, field: 'timezone' });
    expect(compileCron('61 * * * *', 'UTC')).toMatchObject({ ok: false, field: 'cron' });
  });
});

describe('catch-up policies', () => {
  const hourly = cron('0 * * * *');
  const next = at('2025-01-01T10:00:00Z');
  const after = (policy: CatchUpPolicy, now: string) => {
    const due = dueFires(hourly, next, at(now), policy);
    return {
      fires: due.fires.map((f) => f.toISOString()),
      dropped: due.dropped,
      next: due.next?.toISOString(),
    };
  };

  it('a fire processed on time starts one run under every policy', () => {
    for (const policy of ['skip', 'latest', 'all'] as const) {
      expect(after(policy, '2025-01-01T10:00:02Z')).toEqual({
        fires: ['2025-01-01T10:00:00.000Z'],
        dropped: 0,
        next: '2025-01-01T11:00:00.000Z',
      });
    }
  });

  it('after 3.5 hours down: latest fires the most recent, skip fires none, all fires each', () => {
    const now = '2025-01-01T13:30:00Z';
    expect(after('latest', now)).toEqual({
      fires: ['2025-01-01T13:00:00.000Z'],
      dropped: 3,
      next: '2025-01-01T14:00:00.000Z',
    });
    expect(after('skip', now)).toEqual({ fires: [], dropped: 4, next: '2025-01-01T14:00:00.000Z' });
    expect(after('all', now).fires).toEqual([
      '2025-01-01T10:00:00.000Z',
      '2025-01-01T11:00:00.000Z',
      '2025-01-01T12:00:00.000Z',
      '2025-01-01T13:00:00.000Z',
    ]);
  });

  it('all catches up at most the 100 most recent fires', () => {
    const due = dueFires(cron('* * * * *'), next, at('2025-01-01T13:00:30Z'), 'all');
    expect(due.fires).toHaveLength(100);
    expect(due.fires.at(-1)?.toISOString()).toBe('2025-01-01T13:00:00.000Z');
    expect(due.dropped).toBe(181 - 100);
  });

  it('nothing is due before the next fire time', () => {
    expect(after('all', '2025-01-01T09:59:59Z')).toEqual({
      fires: [],
      dropped: 0,
      next: '2025-01-01T10:00:00.000Z',
    });
  });
});

describe('schedules', () => {
  let t: TestDatabase;
  let app: ApiServer;
  let tenant: TestTenant;

  const runsOf = async (db: Database, scheduleId: string) =>
    (
      await db.ownerTx((tx) =>
        tx.query<{ idempotency_key: string; trigger_kind: string; input: unknown }>(
          `select idempotency_key, trigger_kind, input from runs where trigger_ref = $1 order by idempotency_key`,
          [`schedule:${scheduleId}`],
        ),
      )
    ).rows;

  const scheduleAt = async (
    spec: { cron: string; timezone?: string; catchUp?: CatchUpPolicy; workflow?: string },
    now: Date,
  ) =>
    t.db.tenantTx(tenant.tenantId, (tx) =>
      createSchedule(
        tx,
        tenant.tenantId,
        {
          workflowName: spec.workflow ?? 'tick',
          cron: spec.cron,
          timezone: spec.timezone ?? 'UTC',
          input: { n: 1 },
          catchUp: spec.catchUp ?? 'latest',
          description: '',
          paused: false,
          createdBy: 'test',
        },
        now,
      ),
    );

  /** Pauses the schedules of earlier tests, so a pass far in the future fires only this test's. */
  const pauseOthers = () => t.db.ownerTx((tx) => tx.query('update schedules set paused_at = now()'));

  beforeAll(async () => {
    t = await createTestDatabase();
    app = createTestApp(t.db);
    tenant = await seedTenant(t.db, 'schedules');
    // The scheduler passes below fire far more runs a minute than the free plan admits.
    await allowManyRunStarts(t.db, tenant.tenantId);
    await publishDefinition(t.db, tenant.tenantId, TICK);
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('the API creates, reads, pauses, resumes and deletes a schedule', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/v1/schedules',
      headers: bearer(tenant.keys.developer),
      payload: { workflow: 'tick', cron: '0 9 * * 1-5', timezone: 'Europe/Berlin', input: { n: 2 } },
    });
    expect(created.statusCode, created.body).toBe(201);
    const schedule = created.json<{ id: string; upcoming: string[]; nextFireAt: string }>();
    expect(schedule).toMatchObject({
      workflowName: 'tick',
      catchUp: 'latest',
      paused: false,
      input: { n: 2 },
    });
    expect(schedule.upcoming).toHaveLength(5);
    expect(schedule.upcoming[0]).toBe(schedule.nextFireAt);
    // 09:00 in Berlin is 07:00 or 08:00 UTC, and never on a weekend.
    for (const fire of schedule.upcoming) {
      const d = new Date(fire);
      expect([7, 8]).toContain(d.getUTCHours());
      expect([0, 6]).not.toContain(d.getUTCDay());
    }
    const url = `/v1/schedules/${schedule.id}`;
    const paused = await app.inject({
      method: 'PATCH',
      url,
      headers: bearer(tenant.keys.admin),
      payload: { paused: true },
    });
    expect(paused.json()).toMatchObject({ paused: true, upcoming: [] });
    const resumed = await app.inject({
      method: 'PATCH',
      url,
      headers: bearer(tenant.keys.admin),
      payload: { paused: false },
    });
    expect(resumed.json()).toMatchObject({ paused: false });
    const list = await app.inject({
      method: 'GET',
      url: '/v1/schedules?workflow=tick',
      headers: bearer(tenant.keys.viewer),
    });
    expect(list.json().data.map((s: { id: string }) => s.id)).toContain(schedule.id);
    const deleted = await app.inject({ method: 'DELETE', url, headers: bearer(tenant.keys.owner) });
    expect(deleted.statusCode).toBe(200);
    const gone = await app.inject({ method: 'GET', url, headers: bearer(tenant.keys.owner) });
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error.code).toBe('SCHEDULE_NOT_FOUND');
  });

  it('a bad cron or time zone is 422 SCHEDULE_INVALID naming the field; bad input is RUN_INPUT_INVALID', async () => {
    const post = (payload: Record<string, unknown>) =>
      app.inject({ method: 'POST', url: '/v1/schedules', headers: bearer(tenant.keys.owner), payload });
    const badCron = await post({ workflow: 'tick', cron: 'every day' });
    expect(badCron.statusCode).toBe(422);
    expect(badCron.json().error).toMatchObject({
      code: 'SCHEDULE_INVALID',
      details: { issues: [{ path: '/cron' }] },
    });
    const badZone = await post({ workflow: 'tick', cron: '* * * * *', timezone: 'Europe/Atlantis' });
    expect(badZone.json().error).toMatchObject({
      code: 'SCHEDULE_INVALID',
      message: 'Unknown time zone "Europe/Atlantis"',
      details: { issues: [{ path: '/timezone' }] },
    });
    const badInput = await post({ workflow: 'tick', cron: '* * * * *', input: { n: 'one' } });
    expect(badInput.statusCode).toBe(422);
    expect(badInput.json().error.code).toBe('RUN_INPUT_INVALID');
    const noWorkflow = await post({ workflow: 'nope', cron: '* * * * *' });
    expect(noWorkflow.statusCode).toBe(404);
    expect(noWorkflow.json().error.code).toBe('WORKFLOW_NOT_FOUND');
  });

  it('the scheduler fires a due schedule once, with the fire time in the idempotency key, and not before', async () => {
    const s = await scheduleAt({ cron: '*/10 * * * *' }, at('2030-01-01T00:01:00Z'));
    expect(s.nextFireAt).toBe('2030-01-01T00:10:00.000Z');
    await runSchedulerPass({ db: t.db, logger, now: () => at('2030-01-01T00:09:59Z') });
    expect(await runsOf(t.db, s.id)).toEqual([]);
    await runSchedulerPass({ db: t.db, logger, now: () => at('2030-01-01T00:10:01Z') });
    await runSchedulerPass({ db: t.db, logger, now: () => at('2030-01-01T00:10:05Z') });
    expect(await runsOf(t.db, s.id)).toEqual([
      {
        idempotency_key: scheduleFireKey(s.id, at('2030-01-01T00:10:00Z')),
        trigger_kind: 'schedule',
        input: { n: 1 },
      },
    ]);
    const view = await app.inject({
      method: 'GET',
      url: `/v1/schedules/${s.id}`,
      headers: bearer(tenant.keys.viewer),
    });
    expect(view.json()).toMatchObject({
      nextFireAt: '2030-01-01T00:20:00.000Z',
      lastFireAt: '2030-01-01T00:10:00.000Z',
      lastError: null,
    });
  });

  it.each(['latest', 'skip', 'all'] as const)(
    'after the scheduler was down for 3 hours, catch-up %s starts the documented runs',
    async (policy) => {
      const s = await scheduleAt({ cron: '0 * * * *', catchUp: policy }, at('2031-01-01T09:30:00Z'));
      await runSchedulerPass({ db: t.db, logger, now: () => at('2031-01-01T12:30:00Z') });
      const keys = (await runsOf(t.db, s.id)).map((r) => r.idempotency_key);
      const fire = (hour: number) => scheduleFireKey(s.id, at(`2031-01-01T${hour}:00:00Z`));
      const expected = { latest: [fire(12)], skip: [], all: [fire(10), fire(11), fire(12)] }[policy];
      expect(keys).toEqual(expected);
      // Either way the schedule goes on from the next future time.
      await runSchedulerPass({ db: t.db, logger, now: () => at('2031-01-01T13:00:10Z') });
      expect((await runsOf(t.db, s.id)).map((r) => r.idempotency_key)).toEqual([...expected, fire(13)]);
    },
  );

  it('a resumed schedule does not catch up the time it was paused', async () => {
    const s = await scheduleAt({ cron: '0 * * * *', catchUp: 'all' }, at('2032-01-01T09:30:00Z'));
    await t.db.tenantTx(tenant.tenantId, (tx) =>
      updateSchedule(tx, s.id, { paused: true }, at('2032-01-01T09:40:00Z')),
    );
    await runSchedulerPass({ db: t.db, logger, now: () => at('2032-01-01T12:30:00Z') });
    const resumed = await t.db.tenantTx(tenant.tenantId, (tx) =>
      updateSchedule(tx, s.id, { paused: false }, at('2032-01-01T12:30:00Z')),
    );
    expect(resumed.nextFireAt).toBe('2032-01-01T13:00:00.000Z');
    await runSchedulerPass({ db: t.db, logger, now: () => at('2032-01-01T12:31:00Z') });
    expect(await runsOf(t.db, s.id)).toEqual([]);
  });

  it('a daily 02:30 Europe/Berlin schedule fires once a day through both DST changes', async () => {
    await pauseOthers();
    const s = await scheduleAt({ cron: '30 2 * * *', timezone: 'Europe/Berlin' }, at('2033-03-25T12:00:00Z'));
    // A pass every hour (at :31) for 5 days around the spring change, then 5 around the fall change.
    for (const from of ['2033-03-25T12:31:00Z', '2033-10-27T12:31:00Z']) {
      await t.db.tenantTx(tenant.tenantId, async (tx) => {
        await updateSchedule(tx, s.id, { paused: true }, at(from));
        await updateSchedule(tx, s.id, { paused: false }, at(from));
      });
      for (let hour = 0; hour <= 5 * 24; hour += 1) {
        const now = new Date(at(from).getTime() + hour * 3_600_000);
        await runSchedulerPass({ db: t.db, logger, now: () => now });
      }
    }
    const fired = (await runsOf(t.db, s.id)).map((r) => r.idempotency_key.split(':').slice(2).join(':'));
    const days = fired.map((iso) =>
      new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin', dateStyle: 'short' }).format(
        new Date(iso),
      ),
    );
    expect(new Set(days).size).toBe(days.length);
    expect(fired).toContain('2033-03-27T01:00:00.000Z'); // 27 March: 02:30 does not exist, fires at 03:00 CEST
    expect(fired).toContain('2033-10-30T00:30:00.000Z'); // 30 October: the first 02:30 (CEST) only
    expect(fired).not.toContain('2033-10-30T01:30:00.000Z');
    expect(fired).toHaveLength(10);
  }, 120_000);

  it('a fire that cannot start a run records the error and the schedule moves on', async () => {
    await pauseOthers();
    await publishDefinition(t.db, tenant.tenantId, { ...TICK, name: 'soon-archived' });
    const s = await scheduleAt({ cron: '0 * * * *', workflow: 'soon-archived' }, at('2034-01-01T00:30:00Z'));
    await app.inject({
      method: 'POST',
      url: '/v1/workflows/soon-archived/archive',
      headers: bearer(tenant.keys.owner),
    });
    await runSchedulerPass({ db: t.db, logger, now: () => at('2034-01-01T01:00:01Z') });
    const view = await app.inject({
      method: 'GET',
      url: `/v1/schedules/${s.id}`,
      headers: bearer(tenant.keys.viewer),
    });
    expect(view.json()).toMatchObject({
      nextFireAt: '2034-01-01T02:00:00.000Z',
      lastFireAt: '2034-01-01T01:00:00.000Z',
      lastRunId: null,
      lastError: { code: 'WORKFLOW_ARCHIVED' },
    });
  });

  it('many concurrent scheduler passes fire every due time of every schedule exactly once', async () => {
    const handles: Database[] =
      TEST_DRIVER === 'postgres' ? [0, 1, 2, 3].map(() => t.reopen({ poolSize: 3 })) : [t.db];
    try {
      await pauseOthers();
      const ids: string[] = [];
      for (let i = 0; i < 12; i += 1) {
        const s = await scheduleAt({ cron: '* * * * *', catchUp: 'all' }, at('2035-01-01T00:00:30Z'));
        ids.push(s.id);
      }
      // 6 minutes of passes, each minute 8 passes at once spread over the handles, then a late catch-up.
      for (let minute = 1; minute <= 6; minute += 1) {
        const now = at(`2035-01-01T00:0${minute}:0${minute}Z`);
        await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            runSchedulerPass({ db: handles[i % handles.length] as Database, logger, now: () => now }),
          ),
        );
      }
      for (const id of ids) {
        const keys = (await runsOf(t.db, id)).map((r) => r.idempotency_key);
        expect(keys).toEqual(
          [1, 2, 3, 4, 5, 6].map((m) => scheduleFireKey(id, at(`2035-01-01T00:0${m}:00Z`))),
        );
      }
      const total = await t.db.ownerTx((tx) =>
        tx.query<{ n: number; distinct: number }>(
          `select count(*)::int as n, count(distinct idempotency_key)::int as "distinct" from runs
            where trigger_ref = any($1)`,
          [ids.map((id) => `schedule:${id}`)],
        ),
      );
      expect(total.rows[0]).toEqual({ n: 72, distinct: 72 });
    } finally {
      if (TEST_DRIVER === 'postgres') await Promise.all(handles.map((h) => h.close()));
    }
  }, 120_000);
});
