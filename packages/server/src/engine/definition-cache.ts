import type { Queryable } from '../db/index.ts';
import { stepsReadBy, type StepDefinition } from '../workflows/index.ts';

/** A step of a pinned version, and the steps its expressions read (null: all of them). */
export interface CachedStep {
  definition: StepDefinition;
  reads: readonly string[] | null;
  /** The steps that need this one, in definition order. */
  dependants: readonly string[];
}

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
  ): Promise<CachedStep | null>;
}

export function createDefinitionCache(capacity = 256): DefinitionCache {
  const versions = new Map<string, ReadonlyMap<string, CachedStep>>();
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
        steps = new Map(
          list.map((s) => [
            s.id,
            {
              definition: s,
              reads: stepsReadBy({ with: s.with, when: s.when }),
              dependants: list.filter((d) => d.needs.includes(s.id)).map((d) => d.id),
            },
          ]),
        );
        if (versions.size >= capacity) versions.delete(versions.keys().next().value as string);
        versions.set(key, steps);
      }
      return steps.get(stepId) ?? null;
    },
  };
}
