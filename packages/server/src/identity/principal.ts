import type { Actor } from '../audit/index.ts';
import type { Role } from './roles.ts';

/** Who is calling, resolved from an API key or a session; always bound to one tenant. */
export interface Principal {
  tenantId: string;
  role: Role;
  actor: Actor;
  via: 'api_key' | 'session';
  userId: string | null;
  apiKeyId: string | null;
  sessionId: string | null;
  /** An API key's own LLM limits per minute (null: only the tenant's apply); absent for sessions. */
  llmLimits?: { requestsPerMinute: number | null; tokensPerMinute: number | null };
}

/** Request facts that go into the audit log. */
export interface RequestMeta {
  requestId: string | null;
  ip: string | null;
}
