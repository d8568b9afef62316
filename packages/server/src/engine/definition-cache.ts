import type { Queryable } from '../db/index.ts';
import type { StepDefinition } from '../workflows/index.ts';

/**
 * A worker's cache of pinned workflow versions' steps by id. Versions are immutable (content
 * hashed), so an entry never goes stale; the oldest entries go when it is full.
 */
export interface DefinitionCache {
  /** The step `stepId` of a version, read from the database on a miss; null if it has none. */
  step(
    tx: Queryable,
    version: { tenantId: string; workflowId: string; version: number },
    stepId: string,
  ): Promise<StepDefinition | null>;
}

export function createDefinitionCache(capacity = 256): DefinitionCache {
  const versions = new Map<string, ReadonlyMap<string, StepDefinition>>();
  return {
    async step(tx, version, stepId) {
      const key = `${version.tenantId}/${version.workflowId}/${version.version}`;
      let steps = versions.get(key);
      if (!steps) {
        const found = await tx.query<{ steps: StepDefinition[] }>(
          `select definition -> 'steps' as steps from workflow_versions
            where tenant_id = $1 and workflow_id = $2 and version = $3`,
          [version.tenantId, version.workflowId, version.version],
        );
        const list = found.rows[0]?.steps;
        if (!list) return null;
        steps = new Map(list.map((s) => [s.id, s]));
        if (versions.size >= capacity) versions.delete(versions.keys().next().value as string);
        versions.set(key, steps);
      }
      return steps.get(stepId) ?? null;
    },
  };
}
