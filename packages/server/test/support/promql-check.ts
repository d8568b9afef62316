import type { Registry } from 'prom-client';

/** A metric Shoal registers: its type and label names, as the live registry reports them. */
export interface KnownMetric {
  type: string;
  labels: readonly string[];
}

/** Every metric of a registry by name (prom-client keeps `labelNames` on each metric). */
export async function knownMetrics(registry: Registry): Promise<Map<string, KnownMetric>> {
  const known = new Map<string, KnownMetric>();
  for (const metric of await registry.getMetricsAsJSON()) {
    const labelNames = (
      registry.getSingleMetric(metric.name) as { labelNames?: readonly string[] } | undefined
    )?.labelNames;
    known.set(metric.name, { type: String(metric.type), labels: labelNames ?? [] });
  }
  return known;
}

const SERIES_SUFFIXES = ['_bucket', '_sum', '_count'] as const;

/** The registered metric a series name belongs to: itself, or a histogram's _bucket/_sum/_count. */
function resolve(
  name: string,
  known: ReadonlyMap<string, KnownMetric>,
): { metric: string; bucket: boolean } | null {
  if (known.has(name)) return { metric: name, bucket: false };
  for (const suffix of SERIES_SUFFIXES) {
    const base = name.slice(0, -suffix.length);
    if (name.endsWith(suffix) && ['histogram', 'summary'].includes(known.get(base)?.type ?? ''))
      return { metric: base, bucket: suffix === '_bucket' };
  }
  return null;
}

const METRIC = /\bshoal_[a-z0-9_]+/g;
const SELECTOR = /\b(shoal_[a-z0-9_]+)\s*\{([^}]*)\}/g;
const MATCHER = /([A-Za-z_][A-Za-z0-9_]*)\s*(?:=~|!~|!=|=)/g;
const GROUPING = /\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g;

/** The shoal_ series names a PromQL expression reads (label values in quotes are not names). */
export const seriesNamesOf = (expr: string): string[] => [
  ...new Set(expr.replace(/"(?:[^"\\]|\\.)*"/g, '""').match(METRIC) ?? []),
];

/**
 * What is wrong with an expression against the registry: a series no metric exports, a label
 * matched or grouped by that none of its metrics carries. `targetLabels` are what Prometheus
 * adds to every series it scrapes (job, instance, and the scrape config's static labels).
 */
export function promqlProblems(
  expr: string,
  known: ReadonlyMap<string, KnownMetric>,
  targetLabels: readonly string[],
): string[] {
  const problems: string[] = [];
  const names = seriesNamesOf(expr);
  if (names.length === 0) problems.push('reads no shoal_ metric');
  const inExpr = new Set(targetLabels);
  for (const name of names) {
    const resolved = resolve(name, known);
    if (!resolved) {
      problems.push(`${name} is not a metric Shoal exports`);
      continue;
    }
    for (const label of known.get(resolved.metric)?.labels ?? []) inExpr.add(label);
    if (resolved.bucket) inExpr.add('le');
  }
  for (const [, name, matchers] of expr.matchAll(SELECTOR)) {
    const resolved = resolve(name as string, known);
    if (!resolved) continue;
    const allowed = new Set([...targetLabels, ...(known.get(resolved.metric)?.labels ?? [])]);
    if (resolved.bucket) allowed.add('le');
    for (const [, label] of (matchers as string).matchAll(MATCHER))
      if (!allowed.has(label as string)) problems.push(`${name} has no label ${label}`);
  }
  for (const [, list] of expr.matchAll(GROUPING))
    for (const label of (list as string)
      .split(',')
      .map((l) => l.trim())
      .filter(Boolean))
      if (!inExpr.has(label)) problems.push(`no metric of the expression has label ${label}`);
  return problems;
}
