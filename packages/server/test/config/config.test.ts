import { describe, expect, it } from 'vitest';
import { ConfigError, describeConfig, loadConfig } from '../../src/config/index.ts';

describe('configuration', () => {
  it('defaults to embedded PGlite on port 8080', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(8080);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.SHOAL_DATA_DIR).toBe('.shoal');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('treats empty strings as unset and ignores unknown variables', () => {
    const config = loadConfig({ PORT: '', SOMETHING_ELSE: 'x' });
    expect(config.PORT).toBe(8080);
  });

  it('reports every bad variable by name at once', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'not a url',
        SHOAL_LOG_LEVEL: 'loud',
        SHOAL_COOKIE_SECURE: 'yes',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const configError = error as ConfigError;
    expect(configError.code).toBe('CONFIG_INVALID');
    expect(configError.issues.map((i) => i.variable).sort()).toEqual([
      'DATABASE_URL',
      'PORT',
      'SHOAL_COOKIE_SECURE',
      'SHOAL_LOG_LEVEL',
    ]);
    expect(configError.message).toContain('PORT:');
  });

  it('rejects a port out of range', () => {
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
  });

  it('describes every variable with a meaning for the README table', () => {
    const rows = describeConfig();
    expect(rows.map((r) => r.name)).toContain('DATABASE_URL');
    for (const row of rows) expect(row.meaning.length, row.name).toBeGreaterThan(0);
    expect(rows.find((r) => r.name === 'PORT')?.default).toBe('8080');
    expect(rows.find((r) => r.name === 'DATABASE_URL')?.default).toBe('(unset)');
  });
});
