export { loadConfig, describeConfig, ConfigError } from './load-config.ts';
export type { Config } from './load-config.ts';
export type { ConfigInput } from './schema.ts';
