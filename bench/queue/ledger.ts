import type { Probe } from './system.ts';

export interface ExactlyOnce {
  jobs: number;
  /** Handlers that ran. */
  ran: number;
  /** Never ran and not in the queue any more. */
  lost: number;
  /** Ran more than once. */
  duplicated: number;
  /** Ran at least once but the system recorded a failure. */
  failed: number;
  /** Still queued when the workload ended (cut off, not lost). */
  unfinished: number;
}

/**
 * Every job a workload enqueued and every handler call, on one clock (performance.now() in this
 * process): enqueue-to-start latencies and the exactly-once check come from here.
 */
export class Ledger implements Probe {
  private readonly jobs = new Map<string, { tenant: string; enqueuedAt: number | null }>();
  private readonly starts = new Map<string, number[]>();
  private readonly ends = new Map<string, number>();
  private readonly startWaiters = new Map<string, () => void>();
  private readonly endWaiters = new Map<string, () => void>();
  private readonly startsOfTenant = new Map<string, number>();

  /** A pre-queued job: no enqueue time (its latency is not measured). */
  queued(jobId: string, tenant: string): void {
    this.register(jobId, tenant, null);
  }

  /** A job whose enqueue committed now. */
  enqueued(jobId: string, tenant: string, at: number): void {
    this.register(jobId, tenant, at);
  }

  /**
   * A job may start between its commit and this call (a batch of a backlog is committed before
   * the whole backlog returns): its starts are counted for its tenant now, or a feeder that
   * tops a tenant up by its start count would think work is still waiting and stop feeding it.
   */
  private register(jobId: string, tenant: string, enqueuedAt: number | null): void {
    if (!this.jobs.has(jobId)) {
      const early = this.starts.get(jobId)?.length ?? 0;
      if (early > 0) this.startsOfTenant.set(tenant, (this.startsOfTenant.get(tenant) ?? 0) + early);
    }
    this.jobs.set(jobId, { tenant, enqueuedAt });
  }

  start(jobId: string): void {
    const at = performance.now();
    const tenant = this.jobs.get(jobId)?.tenant;
    if (tenant !== undefined) this.startsOfTenant.set(tenant, (this.startsOfTenant.get(tenant) ?? 0) + 1);
    const list = this.starts.get(jobId);
    if (list) list.push(at);
    else this.starts.set(jobId, [at]);
    this.startWaiters.get(jobId)?.();
  }

  end(jobId: string): void {
    this.ends.set(jobId, (this.ends.get(jobId) ?? 0) + 1);
    this.endWaiters.get(jobId)?.();
  }

  /** Handler calls of the tenant's jobs (a job that started before it was registered counts once it is). */
  startCountOf(tenant: string): number {
    return this.startsOfTenant.get(tenant) ?? 0;
  }

  startedCount(): number {
    return this.starts.size;
  }

  /** Resolves once the job's handler has returned. */
  whenEnded(jobId: string): Promise<void> {
    if (this.ends.has(jobId)) return Promise.resolve();
    return new Promise((resolve) => {
      this.endWaiters.set(jobId, () => {
        this.endWaiters.delete(jobId);
        resolve();
      });
    });
  }

  firstStart(jobId: string): number | undefined {
    return this.starts.get(jobId)?.[0];
  }

  tenantOf(jobId: string): string | undefined {
    return this.jobs.get(jobId)?.tenant;
  }

  /**
   * Enqueue-to-start latency in ms of the measured jobs matching `filter`. A handler can start
   * before the enqueue call has returned (the NOTIFY beats the COMMIT's reply): that counts as 0.
   * A job not started by `cutoff` counts as `cutoff - enqueuedAt` (a lower bound) and is counted.
   */
  latencies(filter: (tenant: string) => boolean, cutoff: number): { ms: number[]; censored: number } {
    const ms: number[] = [];
    let censored = 0;
    for (const [id, job] of this.jobs) {
      if (job.enqueuedAt === null || !filter(job.tenant)) continue;
      const started = this.firstStart(id);
      if (started === undefined) {
        censored += 1;
        ms.push(Math.max(0, cutoff - job.enqueuedAt));
      } else ms.push(Math.max(0, started - job.enqueuedAt));
    }
    return { ms, censored };
  }

  /** Handler starts per tenant within [from, to). */
  startsByTenant(from: number, to: number): Map<string, number> {
    const counts = new Map<string, number>();
    for (const [id, times] of this.starts) {
      const tenant = this.jobs.get(id)?.tenant ?? '?';
      for (const t of times) if (t >= from && t < to) counts.set(tenant, (counts.get(tenant) ?? 0) + 1);
    }
    return counts;
  }

  /** Compares the handler calls with what the system still holds and what it failed. */
  check(unfinished: ReadonlySet<string>, failed: ReadonlySet<string>): ExactlyOnce {
    let lost = 0;
    let duplicated = 0;
    let pending = 0;
    let failedRan = 0;
    for (const id of this.jobs.keys()) {
      const runs = this.starts.get(id)?.length ?? 0;
      if (runs > 1) duplicated += 1;
      if (runs === 0 && !unfinished.has(id)) lost += 1;
      if (runs === 0 && unfinished.has(id)) pending += 1;
      if (failed.has(id)) failedRan += 1;
    }
    // A handler call for a job this workload never enqueued would be a phantom: count it as lost.
    for (const id of this.starts.keys()) if (!this.jobs.has(id)) lost += 1;
    return {
      jobs: this.jobs.size,
      ran: this.starts.size,
      lost,
      duplicated,
      failed: failedRan,
      unfinished: pending,
    };
  }
}
