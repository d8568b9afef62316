import type { ExactlyOnce } from './ledger.ts';
import { median } from './stats.ts';

/** Every repetition's value of each measure of each system, and what the checks found. */
export class Report {
  readonly values = new Map<string, Map<string, number[]>>();
  /** Measures where a repetition hit its cap (a lower bound for latency, a cut-off). */
  readonly capped = new Map<string, Set<string>>();
  readonly notApplicable = new Map<string, Map<string, string>>();
  readonly checks = new Map<string, ExactlyOnce & { reps: number }>();
  readonly measures: string[] = [];

  constructor(readonly systems: readonly string[]) {}

  add(system: string, measure: string, value: number, capped = false): void {
    if (!this.measures.includes(measure)) this.measures.push(measure);
    const bySystem = this.values.get(system) ?? new Map<string, number[]>();
    this.values.set(system, bySystem);
    bySystem.set(measure, [...(bySystem.get(measure) ?? []), value]);
    if (capped) this.capped.set(system, (this.capped.get(system) ?? new Set()).add(measure));
  }

  na(system: string, measure: string, why: string): void {
    if (!this.measures.includes(measure)) this.measures.push(measure);
    const bySystem = this.notApplicable.get(system) ?? new Map<string, string>();
    bySystem.set(measure, why);
    this.notApplicable.set(system, bySystem);
  }

  check(system: string, result: ExactlyOnce): void {
    const sum = this.checks.get(system) ?? {
      jobs: 0,
      ran: 0,
      lost: 0,
      duplicated: 0,
      failed: 0,
      unfinished: 0,
      reps: 0,
    };
    this.checks.set(system, {
      jobs: sum.jobs + result.jobs,
      ran: sum.ran + result.ran,
      lost: sum.lost + result.lost,
      duplicated: sum.duplicated + result.duplicated,
      failed: sum.failed + result.failed,
      unfinished: sum.unfinished + result.unfinished,
      reps: sum.reps + 1,
    });
  }

  medianOf(system: string, measure: string): number | undefined {
    const values = this.values.get(system)?.get(measure);
    return values && values.length > 0 ? median(values) : undefined;
  }

  isCapped(system: string, measure: string): boolean {
    return this.capped.get(system)?.has(measure) ?? false;
  }

  cell(system: string, measure: string): string {
    const why = this.notApplicable.get(system)?.get(measure);
    if (why) return 'n/a';
    const values = this.values.get(system)?.get(measure);
    if (!values || values.length === 0) return '–';
    const fmt = (x: number) =>
      Math.abs(x) < 10 && !Number.isInteger(x) ? x.toFixed(3) : String(Math.round(x));
    const mark = this.isCapped(system, measure) ? ' ⚠' : '';
    if (values.length === 1) return `${fmt(values[0] as number)}${mark}`;
    return `${fmt(median(values))} (${fmt(Math.min(...values))}–${fmt(Math.max(...values))})${mark}`;
  }

  markdown(): string {
    const lines = [
      `| system | ${this.measures.join(' | ')} | jobs checked | lost | duplicated | failed |`,
      `| --- | ${this.measures.map(() => '--:').join(' | ')} | --: | --: | --: | --: |`,
    ];
    for (const system of this.systems) {
      const c = this.checks.get(system);
      lines.push(
        `| ${system} | ${this.measures.map((m) => this.cell(system, m)).join(' | ')} | ${c?.jobs ?? 0} | ${c?.lost ?? 0} | ${c?.duplicated ?? 0} | ${c?.failed ?? 0} |`,
      );
    }
    return lines.join('\n');
  }

  json(): Record<string, unknown> {
    return Object.fromEntries(
      this.systems.map((system) => [
        system,
        {
          measures: Object.fromEntries(
            this.measures.map((m) => {
              const why = this.notApplicable.get(system)?.get(m);
              if (why) return [m, { na: why }];
              const values = this.values.get(system)?.get(m) ?? [];
              return [
                m,
                values.length === 0
                  ? null
                  : {
                      median: median(values),
                      min: Math.min(...values),
                      max: Math.max(...values),
                      values,
                      capped: this.isCapped(system, m),
                    },
              ];
            }),
          ),
          exactlyOnce: this.checks.get(system) ?? null,
        },
      ]),
    );
  }
}
