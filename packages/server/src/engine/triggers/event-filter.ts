import { compileExpression, EVENT_FILTER_ROOTS, isTruthy, scanTemplate } from '../../workflows/index.ts';

/** The event as a subscription's filter and the started run see it. */
export interface EventEnvelope {
  id: string;
  name: string;
  payload: unknown;
  receivedAt: string;
}

/**
 * Whether a subscription's filter (one `{{ … }}` JSONata expression over `event`) accepts the
 * event; no filter accepts everything. Throws when the filter cannot be evaluated.
 */
export async function eventMatches(filter: string | undefined, event: EventEnvelope): Promise<boolean> {
  if (filter === undefined) return true;
  const scanned = scanTemplate(filter);
  const part = scanned.ok ? scanned.parts.find((p) => p.kind === 'expression') : undefined;
  if (!scanned.ok || !part || part.kind !== 'expression') throw new Error('The filter is not an expression');
  const compiled = compileExpression(part.source, EVENT_FILTER_ROOTS);
  if (!compiled.ok) throw new Error(compiled.issues[0]?.message ?? 'The filter is invalid');
  return isTruthy(await compiled.expression.evaluate({ event }));
}
