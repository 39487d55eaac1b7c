import { describe, expect, it } from 'vitest';
import { toLiveEvents, toLiveStats, WindowCounter } from './normalize.js';

describe('reading live events', () => {
  it('reads a page of entries, an array or one event, with timestamp or ts', () => {
    const entry = {
      timestamp: '2024-01-15T10:00:00.000Z',
      level: 'ERROR',
      service: 'pay',
      message: '<b>x</b>',
    };
    const expected = { t: Date.UTC(2024, 0, 15, 10), level: 'ERROR', service: 'pay', message: '<b>x</b>' };
    expect(toLiveEvents({ logs: [entry, entry], nextCursor: '12' })).toEqual([expected, expected]);
    expect(toLiveEvents({ entries: [entry], nextCursor: null })).toEqual([expected]);
    expect(toLiveEvents([entry])).toEqual([expected]);
    expect(toLiveEvents(entry)).toEqual([expected]);
    expect(toLiveEvents({ ts: 5, severity: 'warn', service: 'a', message: 'm' })).toEqual([
      { t: 5, level: 'WARN', service: 'a', message: 'm' },
    ]);
    expect(toLiveEvents('nonsense')).toEqual([]);
  });

  it('reads per-service statistics as rows or keyed by service, with errors counted by level', () => {
    const rows = toLiveStats({
      services: [
        { service: 'pay', level: 'ERROR', count: 3 },
        { service: 'pay', level: 'INFO', count: 7 },
        { service: 'chat', level: 'INFO', count: 20 },
      ],
      eventsPerSecond: 4.5,
    });
    expect(rows).toEqual({
      services: [
        { service: 'chat', total: 20, errors: 0 },
        { service: 'pay', total: 10, errors: 3 },
      ],
      errorRate: 0.1,
      eventsPerSecond: 4.5,
    });
    // As GET /api/stats answers: one row per service with its totals.
    const served = toLiveStats({
      services: [{ service: 'pay', total: 40, errors: 4, errorRate: 0.1, levels: { ERROR: 4, INFO: 36 } }],
      errorRate: 0.1,
      eventsPerSecond: 0,
    });
    expect(served).toEqual({
      services: [{ service: 'pay', total: 40, errors: 4 }],
      errorRate: 0.1,
      eventsPerSecond: 0,
    });
    const keyed = toLiveStats({ byService: { pay: { levels: { ERROR: 1, INFO: 3 } } }, errorRate: 0.25 });
    expect(keyed.services).toEqual([{ service: 'pay', total: 4, errors: 1 }]);
    expect(keyed.errorRate).toBe(0.25);
    expect(toLiveStats(null)).toEqual({ services: [], errorRate: null, eventsPerSecond: null });
  });

  it('counts per service over the last minute, letting old buckets go', () => {
    const c = new WindowCounter(60_000, 5_000);
    const ev = (service: string, level: string) => ({ t: null, level, service, message: '' });
    c.add(ev('pay', 'ERROR'), 0);
    c.add(ev('pay', 'INFO'), 30_000);
    c.add(ev('chat', 'INFO'), 30_000);
    expect(c.counts(30_000)).toEqual([
      { service: 'pay', total: 2, errors: 1 },
      { service: 'chat', total: 1, errors: 0 },
    ]);
    // At 61 s the bucket of t=0 is more than a minute old.
    expect(c.counts(61_000)).toEqual([
      { service: 'pay', total: 1, errors: 0 },
      { service: 'chat', total: 1, errors: 0 },
    ]);
  });
});
