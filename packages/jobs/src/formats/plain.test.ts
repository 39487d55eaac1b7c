import { describe, expect, it } from 'vitest';
import { plainFormat } from './plain.js';
import { fixtureLines } from './test-fixtures.js';

const lines = fixtureLines('plain.txt');

describe('plain <timestamp> <LEVEL> [service] message', () => {
  it('reads each timestamp shape, level spelling and optional service', () => {
    expect(lines.map((l) => plainFormat.parse(l, {}))).toEqual([
      {
        ts: Date.UTC(2024, 2, 1, 10),
        tz: 'Z',
        level: 'INFO',
        service: 'api',
        message: 'server listening on :8080',
      },
      {
        ts: Date.UTC(2024, 2, 1, 8, 0, 1, 250),
        tz: '+02:00',
        level: 'WARN',
        service: 'api',
        message: 'slow request GET /items took 1200ms',
      },
      {
        ts: Date.UTC(2024, 2, 1, 10, 0, 2, 123),
        level: 'ERROR',
        service: 'worker',
        message: 'job 17 failed: timeout',
      },
      { ts: Date.UTC(2024, 2, 1, 10, 0, 3), level: 'DEBUG', message: 'cache warmed' },
      { ts: Date.UTC(2024, 2, 1, 10, 0, 4), message: 'production.ERROR: something broke' },
      { ts: 1_709_287_205_000, level: 'INFO', service: 'cron', message: 'nightly run started' },
      { ts: 1_709_287_206_123, level: 'FATAL', service: 'cron', message: 'out of memory' },
      {
        ts: Date.UTC(2024, 2, 1, 10, 0, 7, 123),
        level: 'INFO',
        service: 'scheduler',
        message: 'picked 3 jobs',
      },
    ]);
  });

  it('applies the upload zone to zone-less timestamps only', () => {
    const ctx = { tz: 'Europe/Paris' };
    expect(plainFormat.parse(lines[2] ?? '', ctx)).toMatchObject({
      ts: Date.UTC(2024, 2, 1, 9, 0, 2, 123),
      tz: 'Europe/Paris',
    });
    expect(plainFormat.parse(lines[0] ?? '', ctx)).toMatchObject({ ts: Date.UTC(2024, 2, 1, 10), tz: 'Z' });
  });

  it('does not take a single letter or an unknown word as the level', () => {
    expect(plainFormat.parse('2024-03-01T10:00:00Z I went home', {})).toEqual({
      ts: Date.UTC(2024, 2, 1, 10),
      tz: 'Z',
      message: 'I went home',
    });
  });

  it('rejects lines without a leading timestamp or with an impossible one', () => {
    for (const line of [
      'hello 2024-03-01T10:00:00Z INFO x',
      '2024-02-30T10:00:00Z INFO x',
      '2024-03-01T10:00:00ZINFO x',
      '12345 INFO x',
      '\tat app.Main(Main.java:1)',
      '',
    ]) {
      expect(plainFormat.parse(line, {})).toBeNull();
    }
  });
});
