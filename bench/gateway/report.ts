import { median, quantile } from '../queue/stats.ts';
import type { Sample } from './load.ts';
import type { SystemName } from './options.ts';

export const p50 = (samples: readonly Sample[]) =>
  quantile(
    samples.map((s) => s.ms),
    0.5,
  );
export const p99 = (samples: readonly Sample[]) =>
  quantile(
    samples.map((s) => s.ms),
    0.99,
  );
export const failures = (samples: readonly Sample[]) => samples.filter((s) => s.status !== 200).length;

export interface Summary {
  median: number;
  min: number;
  max: number;
  values: number[];
}

/** Every repetition's value of each measure of each system; a note where a measure does not apply. */
export class Report {
  readonly values = new Map<SystemName, Map<string, number[]>>();
  readonly notes = new Map<string, string>();
  readonly measures: string[] = [];

  constructor(readonly systems: readonly SystemName[]) {}

  add(system: SystemName, measure: string, value: number): void {
    if (!this.measures.includes(measure)) this.measures.push(measure);
    const bySystem = this.values.get(system) ?? new Map<string, number[]>();
    this.values.set(system, bySystem);
    bySystem.set(measure, [...(bySystem.get(measure) ?? []), value]);
  }

  /** A cell that has no value, with why (`key` is `system measure`). */
  note(system: SystemName, measure: string, why: string): void {
    if (!this.measures.includes(measure)) this.measures.push(measure);
    this.notes.set(`${system} ${measure}`, why);
  }

  summary(system: SystemName, measure: string): Summary | null {
    const values = this.values.get(system)?.get(measure);
    if (!values || values.length === 0) return null;
    return { median: median(values), min: Math.min(...values), max: Math.max(...values), values };
  }

  cell(system: SystemName, measure: string, digits: number): string {
    const s = this.summary(system, measure);
    if (!s) return this.notes.get(`${system} ${measure}`) ?? '—';
    const f = (v: number) => v.toFixed(digits);
    return s.values.length === 1 ? f(s.median) : `${f(s.median)} (${f(s.min)}–${f(s.max)})`;
  }

  markdown(digitsOf: (measure: string) => number): string {
    const head = `| measure | ${this.systems.join(' | ')} |`;
    const rule = `| --- | ${this.systems.map(() => '---').join(' | ')} |`;
    const rows = this.measures.map(
      (m) => `| ${m} | ${this.systems.map((s) => this.cell(s, m, digitsOf(m))).join(' | ')} |`,
    );
    return [head, rule, ...rows].join('\n');
  }

  json(): Record<string, Record<string, Summary | string>> {
    const out: Record<string, Record<string, Summary | string>> = {};
    for (const system of this.systems) {
      const bySystem: Record<string, Summary | string> = {};
      for (const m of this.measures) {
        const s = this.summary(system, m);
        const note = this.notes.get(`${system} ${m}`);
        if (s) bySystem[m] = s;
        else if (note) bySystem[m] = note;
      }
      out[system] = bySystem;
    }
    return out;
  }
}
