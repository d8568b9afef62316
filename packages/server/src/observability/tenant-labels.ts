/** The `tenant` label value every tenant without its own series is summed under. */
export const OTHER_TENANT = 'other';

export interface TenantLabeller {
  /** The label value of a tenant's next event (its id, or `other`), counting the event as activity. */
  label(tenantId: string): string;
  /** The same for a scrape-time gauge: a first-come slot is taken, but no activity counted. */
  peek(tenantId: string): string;
  /** Gives free slots to the busiest folded tenants since the last call (at each scrape). */
  rebalance(): void;
  /** Tenants summed into `other`: distinct folded tenants active in the last or current window. */
  folded(): number;
  /** Tenants with their own series (never more than the cap). */
  own(): number;
}

/**
 * The cardinality cap (docs/adr/0010-metrics-cardinality.md). A tenant given its own series keeps
 * it for the life of the process, so no series ever decreases: half the slots go to the first
 * tenants seen, the rest, at each scrape, to the busiest tenants folded into `other` since the last.
 */
export function createTenantLabeller(options: { maxTenants: number }): TenantLabeller {
  const max = Math.max(1, Math.floor(options.maxTenants));
  const firstCome = Math.ceil(max / 2);
  const owned = new Set<string>();
  // Events of folded tenants in the current window; cleared at each rebalance.
  let activity = new Map<string, number>();
  let lastFolded = 0;

  const peek = (tenantId: string) => {
    if (owned.has(tenantId)) return tenantId;
    if (owned.size >= firstCome) {
      if (!activity.has(tenantId)) activity.set(tenantId, 0);
      return OTHER_TENANT;
    }
    owned.add(tenantId);
    return tenantId;
  };
  return {
    label(tenantId) {
      const label = peek(tenantId);
      if (label === OTHER_TENANT) activity.set(tenantId, (activity.get(tenantId) ?? 0) + 1);
      return label;
    },
    peek,
    rebalance() {
      const free = max - owned.size;
      if (free > 0 && activity.size > 0) {
        const busiest = [...activity].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
        for (const [tenantId] of busiest.slice(0, free)) {
          owned.add(tenantId);
          activity.delete(tenantId);
        }
      }
      lastFolded = activity.size;
      activity = new Map();
    },
    folded: () => Math.max(lastFolded, activity.size),
    own: () => owned.size,
  };
}
