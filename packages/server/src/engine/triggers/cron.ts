import { Cron } from 'croner';

/** A cron expression bound to a time zone: fire times are instants (ADR 0004, DST rules there). */
export interface CompiledCron {
  expression: string;
  timezone: string;
  /** The first fire time strictly after `after`; null when the expression never fires again. */
  next(after: Date): Date | null;
  /** Up to `count` fire times at or before `atOrBefore`, newest first. */
  previous(count: number, atOrBefore: Date): Date[];
}

export const MAX_CRON_LENGTH = 200;

/** Whether `timezone` is an IANA zone name the runtime knows. */
export function isTimeZone(timezone: string): boolean {
  if (timezone.length === 0 || timezone.length > 100) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Compiles a 5-field (minute precision) or 6-field (seconds first) cron expression in an IANA
 * time zone; refuses one that never fires.
 */
export function compileCron(
  expression: string,
  timezone: string,
  now = new Date(),
): { ok: true; cron: CompiledCron } | { ok: false; field: 'cron' | 'timezone'; message: string } {
  if (!isTimeZone(timezone))
    return { ok: false, field: 'timezone', message: `Unknown time zone "${timezone}"` };
  const fields = expression.trim().split(/\s+/);
  if (expression.length > MAX_CRON_LENGTH || (fields.length !== 5 && fields.length !== 6)) {
    return {
      ok: false,
      field: 'cron',
      message: 'A cron expression has 5 fields (minute hour day month weekday) or 6 (seconds first)',
    };
  }
  let job: Cron;
  try {
    job = new Cron(fields.join(' '), { timezone, paused: true, mode: '5-or-6-parts' });
  } catch (error) {
    const message = error instanceof Error ? error.message.replace(/^CronPattern: /, '') : String(error);
    return { ok: false, field: 'cron', message: `Invalid cron expression: ${message}` };
  }
  const cron: CompiledCron = {
    expression: fields.join(' '),
    timezone,
    next: (after) => job.nextRun(after),
    previous: (count, atOrBefore) => job.previousRuns(count, new Date(atOrBefore.getTime() + 1)),
  };
  if (cron.next(now) === null)
    return { ok: false, field: 'cron', message: 'The cron expression never fires' };
  return { ok: true, cron };
}
