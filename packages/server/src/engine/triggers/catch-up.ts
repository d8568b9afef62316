import type { CompiledCron } from './cron.ts';

/** What a schedule does with fire times it missed (ADR 0004 "Catch-up"). */
export const CATCH_UP_POLICIES = ['skip', 'latest', 'all'] as const;
export type CatchUpPolicy = (typeof CATCH_UP_POLICIES)[number];

/** A fire processed later than this after its time counts as missed. */
export const MISSED_AFTER_MS = 60_000;
/** `all` starts at most this many runs for one schedule in one pass (the most recent ones). */
export const MAX_CATCH_UP_FIRES = 100;

export interface DueFires {
  /** Fire times to start a run for, oldest first. */
  fires: Date[];
  /** Due fire times dropped by the policy. */
  dropped: number;
  /** The schedule's next fire time after `now`; null when the expression never fires again. */
  next: Date | null;
}

/**
 * The fire times due at `now` for a schedule whose next fire was `nextFireAt`, after applying its
 * catch-up policy. Pure: the scheduler and the tests both call it.
 */
export function dueFires(cron: CompiledCron, nextFireAt: Date, now: Date, policy: CatchUpPolicy): DueFires {
  if (nextFireAt > now) return { fires: [], dropped: 0, next: nextFireAt };
  const next = cron.next(now);
  // The most recent fire times, newest first; never older than the one the schedule was waiting for.
  const recent = cron.previous(MAX_CATCH_UP_FIRES, now).filter((t) => t >= nextFireAt);
  if (recent.length === 0) recent.push(nextFireAt);
  const latest = recent[0] as Date;
  const total = countDue(cron, nextFireAt, now, recent.length);
  switch (policy) {
    case 'all': {
      const fires = [...recent].reverse();
      return { fires, dropped: total - fires.length, next };
    }
    case 'latest':
      return { fires: [latest], dropped: total - 1, next };
    case 'skip': {
      const onTime = now.getTime() - latest.getTime() <= MISSED_AFTER_MS;
      return { fires: onTime ? [latest] : [], dropped: onTime ? total - 1 : total, next };
    }
    default:
      return assertNever(policy);
  }
}

/** How many fire times fall in [from, to]: exact up to a bound, then at least `known`. */
function countDue(cron: CompiledCron, from: Date, to: Date, known: number): number {
  if (known < MAX_CATCH_UP_FIRES) return known;
  let count = 0;
  for (let t: Date | null = from; t && t <= to && count < 10_000; t = cron.next(t)) count += 1;
  return Math.max(count, known);
}

function assertNever(value: never): never {
  throw new Error(`Unhandled catch-up policy ${String(value)}`);
}
