import type { Actor } from '../audit/index.ts';

/** Who changes plans and limits, and the request that did, for the tenants' audit events. */
export interface OperatorChange {
  actor: Actor;
  requestId: string | null;
  ip: string | null;
}

/** The operator API's actor (the bearer of SHOAL_OPERATOR_TOKEN has no identity of its own). */
export const OPERATOR_API_ACTOR: Actor = { type: 'system', id: 'operator' };
/** The CLI's actor: someone with the database's credentials on the machine. */
export const OPERATOR_CLI_ACTOR: Actor = { type: 'system', id: 'cli' };
