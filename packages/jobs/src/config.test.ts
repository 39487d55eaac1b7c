import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULTS, loadConfig } from './config.js';

describe('loadConfig: fault and abuse settings', () => {
  it('defaults to the production values', () => {
    const c = loadConfig({});
    expect(c.stalledIntervalMs).toBe(30_000);
    expect(c.jobLockMs).toBe(60_000);
    expect(c.idleTimeoutMs).toBe(30_000);
    expect(c.dbBusyTimeoutMs).toBe(15_000);
    expect(c.rateLimitMax).toBe(DEFAULTS.rateLimitMax);
    expect(c.rateLimits).toEqual(new Map());
    expect(c.uploadsInFlightMax).toBe(4);
  });

  it('reads per-token rate limits and refuses malformed ones, naming the variable', () => {
    const c = loadConfig({
      RATE_LIMITS: 'ingest=6000, ci = 10',
      STALLED_INTERVAL_MS: '1000',
      JOB_LOCK_MS: '2000',
    });
    expect(c.rateLimits).toEqual(
      new Map([
        ['ingest', 6000],
        ['ci', 10],
      ]),
    );
    expect(c.stalledIntervalMs).toBe(1000);
    expect(c.jobLockMs).toBe(2000);
    for (const bad of ['ingest', 'ingest=0', 'ingest=many', '=5']) {
      expect(() => loadConfig({ RATE_LIMITS: bad }), bad).toThrow(ConfigError);
      expect(() => loadConfig({ RATE_LIMITS: bad }), bad).toThrow(/RATE_LIMITS/);
    }
    expect(() => loadConfig({ JOB_LOCK_MS: '10' })).toThrow(/JOB_LOCK_MS must be at least 1000/);
  });
});
