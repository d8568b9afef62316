/** What a workload needs from a queue: Shoal and each peer implement it (systems/). */

/** One job: whose it is and how long its handler sleeps (0: a no-op). */
export interface JobSpec {
  tenant: string;
  sleepMs: number;
}

export interface TenantSpec {
  name: string;
  /** Scheduling weight; systems without weights ignore it. */
  weight: number;
}

/** Called by a system's handler: at its first line (`start`) and when it returns (`end`). */
export interface Probe {
  start(jobId: string): void;
  end(jobId: string): void;
}

export interface QueueSystem {
  /** Short name in the table. */
  name: string;
  /** What was configured, for the table's legend. */
  settings: string;
  /** Whether the system has per-tenant weights (W8 is n/a otherwise). */
  weights: boolean;
  /** A fresh instance on an empty, freshly created database. */
  open(url: string, tenants: readonly TenantSpec[], probe: Probe): Promise<QueueInstance>;
}

export interface QueueInstance {
  /** Pre-queues a backlog through the system's fastest public path; returns the job ids in order. */
  enqueueMany(jobs: readonly JobSpec[]): Promise<string[]>;
  /** Queues one job; resolves once it is committed. */
  enqueue(job: JobSpec): Promise<string>;
  /**
   * One-time setup a system needs before a tenant's first job of this kind (Shoal publishes the
   * tenant's workflow), done before a workload's measured window so that it is not measured.
   */
  prepare?(jobs: readonly JobSpec[]): Promise<void>;
  /** Starts the in-process worker. */
  start(): Promise<void>;
  /** Ids of jobs not recorded as finished by the system (queued, running, or completion pending). */
  unfinished(): Promise<Set<string>>;
  /** How many jobs are not recorded as finished yet (a cheap count). */
  remaining(): Promise<number>;
  /** Ids of jobs the system recorded as failed. */
  failed(): Promise<Set<string>>;
  /** Stops the worker (running handlers finish). */
  stop(): Promise<void>;
  /** Closes every connection. */
  close(): Promise<void>;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
