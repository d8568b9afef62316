/**
 * The sliding one-minute window of run starts (ADR 0005), kept as two fixed windows: the
 * starts of the current minute plus the previous minute's, weighted by how much of it still
 * overlaps the last 60 s. Pure, so the property tests and the quota check share it.
 */
export const WINDOW_MS = 60_000;

export interface WindowState {
  /** Start of the current fixed window, ms since the epoch, on a minute boundary. */
  windowStart: number;
  current: number;
  previous: number;
}

/** The state as of `now`: a window that has ended becomes the previous one, or is forgotten. */
export function rollWindow(state: WindowState, now: number): WindowState {
  const start = Math.floor(now / WINDOW_MS) * WINDOW_MS;
  if (start <= state.windowStart) return state;
  if (start - state.windowStart === WINDOW_MS)
    return { windowStart: start, current: 0, previous: state.current };
  return { windowStart: start, current: 0, previous: 0 };
}

/** Starts in the last minute, estimated: the previous window weighted by its overlap. */
export function slidingCount(state: WindowState, now: number): number {
  const rolled = rollWindow(state, now);
  const elapsed = Math.min(Math.max(now - rolled.windowStart, 0), WINDOW_MS);
  return (rolled.previous * (WINDOW_MS - elapsed)) / WINDOW_MS + rolled.current;
}

/** A start is admitted while the count including it stays within the limit. */
export const admits = (state: WindowState, now: number, limit: number): boolean =>
  slidingCount(state, now) + 1 <= limit;

/**
 * Milliseconds until a start would be admitted (0 when it is now): the previous window's
 * weight has to shrink, and when the current window alone is full, a new window has to begin.
 */
export function msUntilAdmitted(state: WindowState, now: number, limit: number): number {
  const rolled = rollWindow(state, now);
  if (admits(rolled, now, limit)) return 0;
  const elapsed = now - rolled.windowStart;
  const room = limit - 1 - rolled.current;
  if (room >= 0) {
    // previous × (WINDOW − elapsed − t) / WINDOW ≤ room
    const t = WINDOW_MS - elapsed - (room * WINDOW_MS) / rolled.previous;
    return Math.max(Math.ceil(t), 1);
  }
  // Next window: current becomes previous; current × (WINDOW − e) / WINDOW ≤ limit − 1.
  const e = WINDOW_MS * (1 - (limit - 1) / rolled.current);
  return WINDOW_MS - elapsed + Math.max(Math.ceil(e), 0);
}

/** The state after one more start at `now`. */
export function countStart(state: WindowState, now: number): WindowState {
  const rolled = rollWindow(state, now);
  return { ...rolled, current: rolled.current + 1 };
}
