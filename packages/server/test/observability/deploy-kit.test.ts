import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createMetrics } from '../../src/observability/index.ts';
import { knownMetrics, promqlProblems, seriesNamesOf, type KnownMetric } from '../support/promql-check.ts';

/**
 * The operator kit in deploy/: Grafana dashboards and Prometheus rules may only read metrics,
 * and labels, that a Shoal process really registers (the live registry, default metrics too).
 */
const DEPLOY = resolve(import.meta.dirname, '../../../../deploy');
const DASHBOARDS = join(DEPLOY, 'grafana/dashboards');
const PROMETHEUS = join(DEPLOY, 'prometheus');

interface Target {
  refId?: string;
  expr?: string;
}
interface Panel {
  id?: number;
  type?: string;
  title?: string;
  gridPos?: unknown;
  datasource?: { type?: string; uid?: string };
  targets?: Target[];
  panels?: Panel[];
}
interface Dashboard {
  uid?: string;
  title?: string;
  schemaVersion?: number;
  panels?: Panel[];
  templating?: { list?: { name: string; type: string; query?: unknown }[] };
}

const readYaml = (file: string) => parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
const dashboards = readdirSync(DASHBOARDS)
  .filter((file) => file.endsWith('.json'))
  .sort()
  .map((file) => ({ file, board: JSON.parse(readFileSync(join(DASHBOARDS, file), 'utf8')) as Dashboard }));
/** Rows hold no query of their own; a collapsed row keeps its panels inside it. */
const panelsOf = (board: Dashboard): Panel[] =>
  (board.panels ?? []).flatMap((panel) => (panel.type === 'row' ? (panel.panels ?? []) : [panel]));

const prometheusConfig = readYaml(join(PROMETHEUS, 'prometheus.yml')) as {
  rule_files?: string[];
  scrape_configs?: {
    job_name: string;
    metrics_path?: string;
    authorization?: { type?: string; credentials_file?: string };
    static_configs?: { targets: string[]; labels?: Record<string, string> }[];
  }[];
};
/** Labels Prometheus puts on every scraped series: job, instance and the static ones. */
const TARGET_LABELS = [
  'job',
  'instance',
  ...new Set(
    (prometheusConfig.scrape_configs ?? []).flatMap((job) =>
      (job.static_configs ?? []).flatMap((config) => Object.keys(config.labels ?? {})),
    ),
  ),
];

interface Rule {
  alert?: string;
  expr?: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
const rules = readYaml(join(PROMETHEUS, 'alerts.yml')) as { groups?: { name?: string; rules?: Rule[] }[] };
const allRules = (rules.groups ?? []).flatMap((group) => group.rules ?? []);

const promtool = spawnSync('promtool', ['--version'], { encoding: 'utf8' }).status === 0;

describe('deploy kit', () => {
  let known: Map<string, KnownMetric>;

  beforeAll(async () => {
    known = await knownMetrics(createMetrics({ maxTenants: 5 }).registry);
  });

  it('the registry is the real one: it knows the metrics the kit is built on', () => {
    expect(known.get('shoal_runs_started_total')).toEqual({
      type: 'counter',
      labels: ['tenant', 'workflow'],
    });
    expect(known.get('shoal_queue_wait_seconds')?.type).toBe('histogram');
    expect(known.has('shoal_process_cpu_seconds_total')).toBe(true);
  });

  it('the checker refuses a metric Shoal does not export and a label a metric does not have', () => {
    expect(promqlProblems('rate(shoal_runs_begun_total[5m])', known, TARGET_LABELS)).toEqual([
      'shoal_runs_begun_total is not a metric Shoal exports',
    ]);
    expect(
      promqlProblems(
        'sum by (tenant) (rate(shoal_step_duration_seconds_count{tenant="a"}[5m]))',
        known,
        TARGET_LABELS,
      ),
    ).toEqual([
      'shoal_step_duration_seconds_count has no label tenant',
      'no metric of the expression has label tenant',
    ]);
    // _bucket is only a series of histograms; a counter has none.
    expect(promqlProblems('shoal_runs_started_total_bucket', known, TARGET_LABELS)).toHaveLength(1);
    expect(promqlProblems('vector(1)', known, TARGET_LABELS)).toEqual(['reads no shoal_ metric']);
    expect(seriesNamesOf('x{job="shoal_fake_total"} + shoal_queue_depth')).toEqual(['shoal_queue_depth']);
    expect(
      promqlProblems(
        'histogram_quantile(0.99, sum by (le, tenant) (rate(shoal_queue_wait_seconds_bucket{tenant="$tenant"}[5m])))',
        known,
        TARGET_LABELS,
      ),
    ).toEqual([]);
  });

  it('has the four dashboards, each in the Grafana dashboard shape with a unique uid', () => {
    expect(dashboards.map((d) => d.board.title)).toEqual([
      'Shoal / Gateway and cost',
      'Shoal / Platform overview',
      'Shoal / Queue and fairness',
      'Shoal / Tenant drill-down',
    ]);
    const uids = dashboards.map((d) => d.board.uid);
    expect(new Set(uids).size).toBe(uids.length);
    for (const { file, board } of dashboards) {
      expect(board.uid, file).toMatch(/^[a-z0-9-]{1,40}$/);
      expect(typeof board.schemaVersion, file).toBe('number');
      const variables = new Map((board.templating?.list ?? []).map((v) => [v.name, v]));
      expect(variables.get('datasource')?.type, file).toBe('datasource');
      const panels = panelsOf(board);
      expect(panels.length, file).toBeGreaterThan(5);
      const ids = (board.panels ?? []).map((p) => p.id);
      expect(new Set(ids).size, `${file}: panel ids`).toBe(ids.length);
      for (const panel of panels) {
        const where = `${file}: ${panel.title}`;
        expect(panel.title, where).toMatch(/\S/);
        expect(panel.gridPos, where).toBeDefined();
        expect(panel.datasource, where).toEqual({ type: 'prometheus', uid: '${datasource}' });
        expect(panel.targets?.length, where).toBeGreaterThan(0);
        for (const target of panel.targets ?? []) {
          expect(target.refId, where).toMatch(/^[A-Z]$/);
          expect(typeof target.expr, where).toBe('string');
          for (const used of (target.expr as string).match(/\$[a-z_]+/g) ?? [])
            expect(variables.has(used.slice(1)), `${where} uses ${used}`).toBe(true);
        }
      }
    }
  });

  it('every panel query reads only metrics and labels Shoal exports', () => {
    const problems = dashboards.flatMap(({ file, board }) =>
      panelsOf(board).flatMap((panel) =>
        (panel.targets ?? []).flatMap((target) =>
          promqlProblems(target.expr ?? '', known, TARGET_LABELS).map((p) => `${file}: ${panel.title}: ${p}`),
        ),
      ),
    );
    expect(problems).toEqual([]);
  });

  it('the tenant drill-down picks its tenant from the tenant label of shoal_runs_started_total', () => {
    const board = dashboards.find((d) => d.board.uid === 'shoal-tenant')?.board as Dashboard;
    const tenant = board.templating?.list?.find((v) => v.name === 'tenant');
    expect(tenant).toMatchObject({ type: 'query', query: 'label_values(shoal_runs_started_total, tenant)' });
    expect(known.get('shoal_runs_started_total')?.labels).toContain('tenant');
    // Every query of the drill-down is about the chosen tenant.
    for (const panel of panelsOf(board))
      for (const target of panel.targets ?? [])
        expect(target.expr, panel.title).toContain('tenant="$tenant"');
    for (const { board: other } of dashboards)
      for (const variable of other.templating?.list ?? []) {
        const match = /^label_values\((shoal_[a-z0-9_]+),\s*([a-z_]+)\)$/.exec(String(variable.query ?? ''));
        if (variable.type === 'query') expect(known.get(match?.[1] ?? '')?.labels).toContain(match?.[2]);
      }
  });

  it('the alert rules have the Prometheus rule-file shape and read only what Shoal exports', () => {
    expect(rules.groups?.length).toBeGreaterThan(0);
    for (const group of rules.groups ?? []) expect(group.name).toMatch(/\S/);
    expect(allRules.map((r) => r.alert)).toEqual(
      expect.arrayContaining([
        'ShoalPoolNoLiveWorker',
        'ShoalTenantQueueWaitHigh',
        'ShoalRunFailureRateHigh',
        'ShoalBudgetExhausted',
        'ShoalGatewayFallbackStorm',
        'ShoalAuditChainVerifyFailed',
      ]),
    );
    for (const rule of allRules) {
      expect(rule.alert).toMatch(/^Shoal[A-Z][A-Za-z]+$/);
      expect(rule.for, rule.alert).toMatch(/^\d+[smhd]$/);
      expect(['critical', 'warning']).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary, rule.alert).toMatch(/\S/);
      expect(rule.annotations?.description, rule.alert).toMatch(/\S/);
      expect(promqlProblems(rule.expr ?? '', known, TARGET_LABELS), rule.alert).toEqual([]);
    }
    const metricOf = (alert: string) => seriesNamesOf(allRules.find((r) => r.alert === alert)?.expr ?? '');
    expect(metricOf('ShoalPoolNoLiveWorker')).toEqual(['shoal_pool_live_workers']);
    expect(metricOf('ShoalTenantQueueWaitHigh')).toEqual(['shoal_queue_wait_seconds_bucket']);
    expect(allRules.find((r) => r.alert === 'ShoalTenantQueueWaitHigh')?.expr).toMatch(/by \(le, tenant/);
    expect(metricOf('ShoalBudgetExhausted')).toEqual(['shoal_budget_utilisation_ratio']);
    expect(metricOf('ShoalGatewayFallbackStorm')).toEqual(['shoal_gateway_fallbacks_total']);
    expect(metricOf('ShoalAuditChainVerifyFailed')).toEqual(['shoal_audit_chain_verify_failures_total']);
  });

  it('Prometheus scrapes the api and worker /metrics with the bearer token and loads the rules', () => {
    expect(prometheusConfig.rule_files).toEqual(['alerts.yml']);
    const jobs = prometheusConfig.scrape_configs ?? [];
    expect(jobs.map((j) => j.job_name)).toEqual(['shoal-api', 'shoal-worker']);
    for (const job of jobs) {
      expect(job.metrics_path).toBe('/metrics');
      expect(job.authorization).toEqual({ type: 'Bearer', credentials_file: 'metrics-token' });
    }
    expect(jobs.map((j) => j.static_configs?.[0]?.labels?.role)).toEqual(['api', 'worker']);
    const compose = readYaml(join(DEPLOY, 'docker-compose.yml')) as {
      services: Record<string, { volumes?: string[] }>;
    };
    expect(Object.keys(compose.services).sort()).toEqual(['grafana', 'prometheus']);
    for (const service of Object.values(compose.services))
      for (const volume of service.volumes ?? [])
        expect(existsSync(join(DEPLOY, volume.split(':')[0] ?? ''))).toBe(true);
  });

  it('docs/observability.md names only exported metrics, every dashboard and every alert', () => {
    const doc = readFileSync(resolve(DEPLOY, '../docs/observability.md'), 'utf8');
    const named = [...new Set(doc.match(/\bshoal_[a-z0-9_]+\b/g) ?? [])];
    expect(named.filter((name) => !known.has(name))).toEqual([]);
    for (const name of known.keys())
      if (!name.startsWith('shoal_process_') && !name.startsWith('shoal_nodejs_'))
        expect(named).toContain(name);
    for (const { board } of dashboards) expect(doc).toContain(`_${board.title}_ (\`${board.uid}\`)`);
    for (const rule of allRules) expect(doc).toContain(`| \`${rule.alert}\``);
  });

  describe.skipIf(!promtool)('with promtool', () => {
    const run = (args: string[], cwd = PROMETHEUS) => {
      const result = spawnSync('promtool', args, { cwd, encoding: 'utf8' });
      return { status: result.status, output: `${result.stdout}${result.stderr}` };
    };

    it('promtool checks the rules', () => {
      const { status, output } = run(['check', 'rules', 'alerts.yml']);
      expect(output).toContain(`SUCCESS: ${allRules.length} rules found`);
      expect(status).toBe(0);
    });

    it('every alert fires on its scripted series, and only then (promtool test rules)', () => {
      const { status, output } = run(['test', 'rules', 'alerts.test.yml']);
      expect(output).toContain('SUCCESS');
      expect(status).toBe(0);
      const tested = readFileSync(join(PROMETHEUS, 'alerts.test.yml'), 'utf8');
      for (const rule of allRules) expect(tested).toContain(`alertname: ${rule.alert}`);
    });

    it('promtool checks the scrape config', () => {
      const dir = mkdtempSync(join(tmpdir(), 'shoal-prometheus-'));
      try {
        for (const file of ['prometheus.yml', 'alerts.yml'])
          copyFileSync(join(PROMETHEUS, file), join(dir, file));
        writeFileSync(join(dir, 'metrics-token'), 'a-token-of-at-least-16-chars\n');
        const { status, output } = run(['check', 'config', 'prometheus.yml'], dir);
        expect(output).toContain('SUCCESS');
        expect(status).toBe(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
