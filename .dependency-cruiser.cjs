/**
 * The layer table of shared/DESIGN.md: imports point down the list only, and a module reaches
 * another module through its index.ts.
 */
const SRC = '^packages/server/src/';
const layers = {
  cli: [
    'api',
    'engine',
    'scheduling',
    'steps',
    'gateway',
    'workflows',
    'metering',
    'identity',
    'audit',
    'secrets',
    'db',
    'observability',
    'config',
  ],
  api: [
    'engine',
    'scheduling',
    'steps',
    'gateway',
    'workflows',
    'metering',
    'identity',
    'audit',
    'secrets',
    'db',
    'observability',
    'config',
  ],
  engine: [
    'workflows',
    'steps',
    'scheduling',
    'metering',
    'identity',
    'audit',
    'db',
    'observability',
    'config',
  ],
  // Plans, limits, quotas and live usage (ADR 0005): below the engine, which admits runs with it.
  scheduling: ['audit', 'db'],
  steps: ['gateway', 'workflows', 'secrets', 'observability'],
  gateway: ['metering', 'secrets', 'db', 'observability', 'config'],
  workflows: ['db'],
  metering: ['db', 'observability'],
  identity: ['db', 'audit'],
  audit: ['db'],
  secrets: ['db'],
  db: ['config'],
  observability: [],
  config: [],
};
const all = Object.keys(layers);

module.exports = {
  forbidden: [
    ...all.map((layer) => ({
      name: `layer-${layer}`,
      comment: `${layer}/ may import only: ${layers[layer].join(', ') || 'nothing of ours'} (DESIGN.md)`,
      severity: 'error',
      from: { path: `${SRC}${layer}/` },
      to: {
        path: `${SRC}(${all.filter((l) => l !== layer && !layers[layer].includes(l)).join('|')})/`,
      },
    })),
    {
      name: 'through-index',
      comment: 'Reach another module through its index.ts',
      severity: 'error',
      from: { path: `${SRC}([^/]+)/` },
      to: { path: `${SRC}([^/]+)/.+`, pathNot: [`${SRC}$1/`, `${SRC}[^/]+/index\\.ts$`] },
    },
    {
      name: 'sdk-over-http-only',
      comment: 'The SDK talks to the server over HTTP, never by importing it',
      severity: 'error',
      from: { path: '^packages/sdk/src/' },
      to: { path: '^packages/server/' },
    },
    {
      name: 'sdk-from-cli-only',
      comment:
        "Only the CLI's remote commands use the SDK; the server's layers never call themselves over HTTP",
      severity: 'error',
      from: { path: SRC, pathNot: `${SRC}cli/` },
      to: { path: '^packages/sdk/' },
    },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    exclude: { path: 'node_modules' },
  },
};
