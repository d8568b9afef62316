import type { Queryable } from '../db/index.ts';
import { stepOutputsSql, type StepOutputs } from './step-outputs.ts';

/** What a worker holds while it runs a step; `attempt` is the fence token for every write. */
export interface Claim {
  tenantId: string;
  runId: string;
  stepKey: string;
  stepId: string;
  stepType: string;
  /** For an item of a map step, the map step's key. */
  parentKey: string | null;
  /** The workflow version the run pinned. */
  workflowId: string;
  workflowVersion: number;
  attempt: number;
  maxAttempts: number;
  workerId: string;
  leaseExpiresAt: Date;
  /** The run span's traceparent, the parent of this attempt's span (ADR 0011); null: untraced. */
  traceContext: string | null;
  /** When the step became ready to claim (queue wait metrics); null for a chained step. */
  readyAt: Date | null;
}

export interface ClaimRow {
  tenant_id: string;
  run_id: string;
  step_key: string;
  step_id: string;
  step_type: string;
  parent_key: string | null;
  workflow_id: string;
  workflow_version: number;
  attempt: number;
  max_attempts: number;
  lease_expires_at: Date;
  [key: string]: unknown;
}

/**
 * The claim statement: leases one queue row that `next` picks, starts the next attempt of the
 * step and of the run, records the attempt. `$1` pool, `$2` worker, `$3` lease ms.
 */
const claimSql = (next: string, select = CLAIM_SELECT, startRun = true) => `with next as (${next}
     ), leased as (
       update step_queue q
          set lease_owner = $2, lease_expires_at = clock_timestamp() + make_interval(secs => $3::double precision / 1000)
         from next where q.tenant_id = next.tenant_id and q.id = next.id
       returning q.tenant_id, q.run_id, q.step_key, q.lease_expires_at, greatest(q.enqueued_at, q.available_at) as ready_at
     ), stepped as (
       update run_steps s
          set state = 'running', attempt = s.attempt + 1, started_at = coalesce(s.started_at, now())
         from leased l
        where s.tenant_id = l.tenant_id and s.run_id = l.run_id and s.step_key = l.step_key
       returning s.tenant_id, s.run_id, s.step_key, s.step_id, s.step_type, s.parent_key, s.attempt, s.max_attempts, l.lease_expires_at, l.ready_at
     ), attempted as (
       insert into step_attempts (tenant_id, run_id, step_key, attempt, worker_id, wait_ms)
       select tenant_id, run_id, step_key, attempt, $2,
              greatest(0, round(extract(epoch from clock_timestamp() - ready_at) * 1000))::integer
         from stepped
     )${startRun ? STARTED_CTE : ''}
     ${select}`;

/** Marks the run running on its first claim. */
const STARTED_CTE = `, started as (
       -- Never wait for a run row here: its lock belongs to completions (ARCHITECTURE.md).
       update runs r set state = 'running', started_at = coalesce(r.started_at, now())
        where (r.tenant_id, r.id) in (
          select q.tenant_id, q.id from runs q join stepped s on q.tenant_id = s.tenant_id and q.id = s.run_id
           where q.state = 'queued' for update of q skip locked)
     )`;

/** What a claim returns: the attempt and the version the run pinned (state, no payloads). */
const CLAIM_SELECT = `select s.*, r.workflow_id, r.workflow_version, r.trace_context
       from stepped s join runs r on r.tenant_id = s.tenant_id and r.id = s.run_id`;

/**
 * The rows the fair pick chose (`shoal_pick_steps`, ADR 0005): up to `$4`, in the order single
 * picks would have taken them; it locks each tenant's sched row, checks its ceiling and locks the
 * rows. A row committed after this statement's snapshot but before the pick's is not leased (the
 * claim comes back short); its NOTIFY arrives while the claim is in flight, so the worker claims
 * again.
 */
const CLAIM_NEXT_SQL = claimSql(`
       select p.picked_tenant as tenant_id, p.picked_id as id from shoal_pick_steps($1, $4) p`);

/**
 * Whether the worker of tenant `$1` may go on with a step its completion readied instead of
 * giving the slot back to the fair pick: only while the tenant runs fewer steps than its
 * guarantee (the completed step's row is already gone), so a tenant bursting above its
 * guarantee returns each slot as its step ends (ADR 0005).
 */
export const CHAIN_ALLOWED_SQL = `(select count(*) from step_queue l
            where l.tenant_id = $1 and l.lease_owner is not null and l.lease_expires_at > '-infinity')
           < (select e.guaranteed_concurrency from tenant_effective_limits e where e.tenant_id = $1)`;

/**
 * One of the given steps of one run, which the same (tenant) transaction has just made ready,
 * with the run input and the outputs `$7` names (every output without `$7`). Readied steps are
 * steps of the workflow, never map items, and their run is already running.
 */
const claimOfRunSql = (reads: boolean) =>
  claimSql(
    `
       select q.tenant_id, q.id from step_queue q
        where q.tenant_id = $4 and q.run_id = $5 and q.step_key = any($6::text[])
          and q.pool = $1 and q.lease_owner is null and q.available_at <= now()
          and ${CHAIN_ALLOWED_SQL.replaceAll('$1', '$4')}
        limit 1
        for update skip locked`,
    `select s.*, r.workflow_id, r.workflow_version, r.trace_context, r.input, ${stepOutputsSql(reads ? '$7' : null)} as steps
       from stepped s join runs r on r.tenant_id = s.tenant_id and r.id = s.run_id`,
    false,
  );
const CLAIM_OF_RUN_SQL = { reads: claimOfRunSql(true), all: claimOfRunSql(false) };

/** Claims the next available step of a pool in one statement (system role, cross-tenant). */
export async function claimStep(
  sys: Queryable,
  options: { pool: string; workerId: string; leaseMs: number },
): Promise<Claim | null> {
  return (await claimSteps(sys, { ...options, limit: 1 }))[0] ?? null;
}

/**
 * Claims up to `limit` available steps of a pool in one statement, across tenants in fair order
 * (system role): a worker with several free slots fills them with one round trip and one commit.
 */
export async function claimSteps(
  sys: Queryable,
  options: { pool: string; workerId: string; leaseMs: number; limit: number },
): Promise<Claim[]> {
  const result = await sys.query<ClaimRow>(CLAIM_NEXT_SQL, [
    options.pool,
    options.workerId,
    options.leaseMs,
    options.limit,
  ]);
  return result.rows.map((row) => toClaim(row, options.workerId));
}

/**
 * In the tenant transaction that made `stepKeys` of a run ready: claims one of them and returns
 * it with what its expressions read (`reads`: the outputs to load, null for all), so the worker
 * runs it next without another round trip (ARCHITECTURE.md, "Chaining").
 */
export async function claimReadiedStep(
  tx: Queryable,
  options: { pool: string; workerId: string; leaseMs: number },
  of: { tenantId: string; runId: string; stepKeys: readonly string[]; reads: readonly string[] | null },
): Promise<{ claim: Claim; context: ClaimedContext } | null> {
  const params = [options.pool, options.workerId, options.leaseMs, of.tenantId, of.runId, of.stepKeys];
  const result = of.reads
    ? await tx.query<ClaimRow & ClaimedContextRow>(CLAIM_OF_RUN_SQL.reads, [...params, of.reads])
    : await tx.query<ClaimRow & ClaimedContextRow>(CLAIM_OF_RUN_SQL.all, params);
  const row = result.rows[0];
  if (!row) return null;
  return {
    claim: toClaim(row, options.workerId),
    context: { input: row.input, item: null, itemIndex: null, steps: row.steps },
  };
}

/** The run input, map item and step outputs an attempt's expressions read. */
export interface ClaimedContext {
  input: unknown;
  item: unknown;
  itemIndex: number | null;
  steps: StepOutputs;
}

interface ClaimedContextRow {
  input: unknown;
  steps: StepOutputs;
  [key: string]: unknown;
}

/** A claim from a row the claim statements (or a chained release) returned. */
export function toClaim(row: ClaimRow, workerId: string): Claim {
  return {
    tenantId: row.tenant_id,
    runId: row.run_id,
    stepKey: row.step_key,
    stepId: row.step_id,
    stepType: row.step_type,
    parentKey: row.parent_key,
    workflowId: row.workflow_id,
    workflowVersion: row.workflow_version,
    attempt: row.attempt,
    maxAttempts: row.max_attempts,
    workerId,
    leaseExpiresAt: row.lease_expires_at,
    traceContext: typeof row.trace_context === 'string' ? row.trace_context : null,
    readyAt: row.ready_at instanceof Date ? row.ready_at : null,
  };
}

/** Extends the lease, only while this attempt still holds the step. */
export async function heartbeat(sys: Queryable, claim: Claim, leaseMs: number): Promise<boolean> {
  const result = await sys.query(
    `update step_queue q
        set lease_expires_at = clock_timestamp() + make_interval(secs => $5::double precision / 1000)
       from run_steps s
      where q.tenant_id = $1 and q.run_id = $2 and q.step_key = $3 and q.lease_owner = $6
        and s.tenant_id = q.tenant_id and s.run_id = q.run_id and s.step_key = q.step_key
        and s.state = 'running' and s.attempt = $4`,
    [claim.tenantId, claim.runId, claim.stepKey, claim.attempt, leaseMs, claim.workerId],
  );
  return result.rowCount === 1;
}
