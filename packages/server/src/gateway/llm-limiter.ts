import type { Database } from '../db/index.ts';

/** Per-minute allowances of one scope: the tenant's (from its plan) or one API key's. */
export interface ScopeLimits {
  scope: 'tenant' | `key:${string}`;
  requestsPerMinute: number;
  tokensPerMinute: number;
}

/** A taken allowance: what the call may still give back once its real usage is known. */
export interface LimitTicket {
  windowStart: number;
  scopes: { key: string; tokens: number }[];
}

export type LimitRefusal = { limit: 'requests' | 'tokens'; scope: string; retryAfterMs: number };

export interface LlmLimiter {
  /** Takes one request and `tokens` from every scope, or none of them and says which refused. */
  take(tenantId: string, scopes: readonly ScopeLimits[], tokens: number): Promise<LimitTicket | LimitRefusal>;
  /** Returns tokens a call did not use (worst case minus real) to this process's slice. */
  giveBack(ticket: LimitTicket, unusedTokens: number): void;
}

const WINDOW_MS = 60_000;

interface Slice {
  windowStart: number;
  requests: number;
  tokens: number;
  /** One lease in flight per scope; others wait for it instead of leasing too. */
  leasing: Promise<void> | null;
}

/**
 * Requests and tokens per minute, exact across processes (ADR 0006, step 4). Each process
 * leases slices of a scope's one-minute window from `llm_rate_windows` — one statement that
 * grants only while the window's total stays within the limit — and spends them in memory.
 * The sum admitted over all processes never passes the limit; a slice one process holds may
 * refuse a call another could take, until the window ends.
 */
export function createLlmLimiter(
  deps: { db: Database; now?: () => number },
  options: { sliceFraction: number },
): LlmLimiter {
  const now = deps.now ?? Date.now;
  const slices = new Map<string, Slice>();

  const lease = async (
    tenantId: string,
    limits: ScopeLimits,
    slice: Slice,
    needRequests: number,
    needTokens: number,
  ): Promise<'granted' | 'requests' | 'tokens'> => {
    const wantRequests = Math.max(needRequests, Math.ceil(limits.requestsPerMinute * options.sliceFraction));
    const wantTokens = Math.max(needTokens, Math.ceil(limits.tokensPerMinute * options.sliceFraction));
    // A slice, else just what is needed now; each grant only while the window stays within the limit.
    for (const [requests, tokens] of [
      [wantRequests, wantTokens],
      [needRequests, needTokens],
    ] as const) {
      const granted = await deps.db.systemQuery(
        `insert into llm_rate_windows (tenant_id, scope, window_start, requests_granted, tokens_granted)
         select $1::uuid, $2::text, $3::timestamptz, $4::int, $5::bigint where $4::int <= $6::int and $5::bigint <= $7::bigint
         on conflict (tenant_id, scope, window_start) do update
           set requests_granted = llm_rate_windows.requests_granted + excluded.requests_granted,
               tokens_granted = llm_rate_windows.tokens_granted + excluded.tokens_granted
         where llm_rate_windows.requests_granted + excluded.requests_granted <= $6::int
           and llm_rate_windows.tokens_granted + excluded.tokens_granted <= $7::bigint
         returning 1`,
        [
          tenantId,
          limits.scope,
          new Date(slice.windowStart).toISOString(),
          requests,
          tokens,
          limits.requestsPerMinute,
          limits.tokensPerMinute,
        ],
      );
      if (granted.rowCount > 0) {
        slice.requests += requests;
        slice.tokens += tokens;
        return 'granted';
      }
      if (requests === needRequests && tokens === needTokens) break;
    }
    // Refused: say which allowance ran out (a read on the refusal path only).
    const window = await deps.db.systemQuery<{ requests_granted: number }>(
      `select requests_granted from llm_rate_windows where tenant_id = $1 and scope = $2 and window_start = $3`,
      [tenantId, limits.scope, new Date(slice.windowStart).toISOString()],
    );
    const requestsGranted = Number(window.rows[0]?.requests_granted ?? 0);
    return requestsGranted + needRequests > limits.requestsPerMinute ? 'requests' : 'tokens';
  };

  const sliceOf = (key: string, windowStart: number): Slice => {
    let slice = slices.get(key);
    if (!slice || slice.windowStart !== windowStart) {
      slice = { windowStart, requests: 0, tokens: 0, leasing: null };
      slices.set(key, slice);
    }
    return slice;
  };

  /**
   * Takes one request and `tokens` from the slice, leasing more when it runs short; else which
   * allowance the window has no room for. The check and the taking happen with no await between them, so
   * concurrent calls of this process cannot spend the same allowance twice.
   */
  const takeFrom = async (
    tenantId: string,
    limits: ScopeLimits,
    slice: Slice,
    tokens: number,
  ): Promise<'taken' | 'requests' | 'tokens'> => {
    // Ends: each pass either takes, waits for a lease that adds to the slice, or leases itself
    // and stops when the window has no room; the window's room is finite.
    for (;;) {
      if (slice.requests >= 1 && slice.tokens >= tokens) {
        slice.requests -= 1;
        slice.tokens -= tokens;
        return 'taken';
      }
      if (slice.leasing) {
        await slice.leasing;
        continue;
      }
      const needRequests = Math.max(0, 1 - slice.requests);
      const needTokens = Math.max(0, tokens - slice.tokens);
      const leasing = lease(tenantId, limits, slice, needRequests, needTokens);
      slice.leasing = leasing
        .then(() => undefined)
        .finally(() => {
          slice.leasing = null;
        });
      const outcome = await leasing;
      if (outcome !== 'granted') return outcome;
    }
  };

  return {
    async take(tenantId, scopes, tokens) {
      const at = now();
      const windowStart = Math.floor(at / WINDOW_MS) * WINDOW_MS;
      const retryAfterMs = windowStart + WINDOW_MS - at;
      const taken: { key: string; slice: Slice; tokens: number }[] = [];
      const undo = () => {
        for (const t of taken) {
          t.slice.requests += 1;
          t.slice.tokens += t.tokens;
        }
      };
      for (const limits of scopes) {
        if (limits.requestsPerMinute < 1) {
          undo();
          return { limit: 'requests', scope: limits.scope, retryAfterMs };
        }
        if (tokens > limits.tokensPerMinute) {
          undo();
          // More than a whole window allows: waiting will not help, but say when the window ends.
          return { limit: 'tokens', scope: limits.scope, retryAfterMs };
        }
        const key = `${tenantId}|${limits.scope}`;
        const slice = sliceOf(key, windowStart);
        const outcome = await takeFrom(tenantId, limits, slice, tokens);
        if (outcome !== 'taken') {
          undo();
          return { limit: outcome, scope: limits.scope, retryAfterMs };
        }
        taken.push({ key, slice, tokens });
      }
      return { windowStart, scopes: taken.map(({ key, tokens: t }) => ({ key, tokens: t })) };
    },
    giveBack(ticket, unusedTokens) {
      if (unusedTokens <= 0) return;
      for (const scope of ticket.scopes) {
        const slice = slices.get(scope.key);
        if (slice && slice.windowStart === ticket.windowStart)
          slice.tokens += Math.min(unusedTokens, scope.tokens);
      }
    },
  };
}
