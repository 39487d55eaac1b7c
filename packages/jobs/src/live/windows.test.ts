import { describe, expect, it } from 'vitest';
import { diffMetrics } from './metrics-store.js';
import { DAY_MS, metricDeltas, retentionCutoff, templateHourDeltas, windowStartOf } from './windows.js';

describe('windows', () => {
  it('puts each event in the window and day of its own time, whatever the order', () => {
    const day = Date.UTC(2024, 4, 1);
    const deltas = metricDeltas(
      [
        { ts: day + 10_001, level: 2, service: 'a' },
        { ts: day + 4_999, level: 4, service: 'a' },
        { ts: day + 0, level: 2, service: 'a' },
        { ts: day - 1, level: 5, service: 'a' },
        { ts: day + 1, level: 2, service: 'b' },
      ],
      5_000,
    );
    const row = (d: (typeof deltas)[number]) => [
      d.kind,
      d.service,
      d.level,
      d.windowStart - day,
      d.count,
      d.errors,
    ];
    expect(deltas.map(row).sort()).toEqual(
      [
        ['daily', 'a', -1, -DAY_MS, 1, 1],
        ['daily', 'a', -1, 0, 3, 1],
        ['daily', 'b', -1, 0, 1, 0],
        ['window', 'a', 2, 0, 1, 0],
        ['window', 'a', 2, 10_000, 1, 0],
        ['window', 'a', 4, 0, 1, 1],
        ['window', 'a', 5, -5_000, 1, 1],
        ['window', 'b', 2, 0, 1, 0],
      ].sort(),
    );
  });

  it('cuts retention at a UTC day boundary', () => {
    const now = Date.UTC(2024, 4, 10, 15, 30);
    expect(retentionCutoff(now, 7)).toBe(Date.UTC(2024, 4, 3));
    expect(windowStartOf(Date.UTC(2024, 4, 10, 15, 30, 7, 500), 5_000)).toBe(
      Date.UTC(2024, 4, 10, 15, 30, 5),
    );
  });

  it('diffs stored metric rows against recomputed ones, touching only what differs', () => {
    const m = (windowStart: number, count: number) => ({
      kind: 'window' as const,
      service: 's',
      level: 2,
      windowStart,
      windowMs: 5000,
      count,
      errors: 0,
    });
    const row = (windowStart: number, count: number, id: number) => ({ ...m(windowStart, count), id });
    const diff = diffMetrics(
      [row(0, 1, 1), row(5000, 2, 2), row(10_000, 3, 3)],
      [m(0, 1), m(5000, 4), m(15_000, 1)],
    );
    expect(diff).toEqual({ inserts: [m(15_000, 1)], updates: [row(5000, 4, 2)], deletes: [3], unchanged: 1 });
  });
});

describe('templateHourDeltas', () => {
  it('counts events per service, template and hour of event time, skipping events without a template', () => {
    const h = 3_600_000;
    const events = [
      { ts: 5 * h + 1, service: 'a' },
      { ts: 5 * h + 59 * 60_000, service: 'a' },
      { ts: 6 * h, service: 'a' },
      { ts: 5 * h, service: 'b' },
      { ts: 5 * h, service: 'a' },
    ];
    expect(templateHourDeltas(events, ['t1', 't1', 't1', 't1', undefined])).toEqual([
      { service: 'a', templateId: 't1', hourStart: 5 * h, count: 2 },
      { service: 'a', templateId: 't1', hourStart: 6 * h, count: 1 },
      { service: 'b', templateId: 't1', hourStart: 5 * h, count: 1 },
    ]);
  });
});
