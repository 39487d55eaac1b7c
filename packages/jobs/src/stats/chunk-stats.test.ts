import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LEVELS } from '../entry.js';
import { ChunkStats, type ChunkStatsJSON } from './chunk-stats.js';
import type { StatsEntry } from './classify.js';
import { failurePeak, latencyByPath, statusEstimates, successRates, summarize, timeline } from './summary.js';
import { syntheticAccessLog } from './synthetic-access-log.js';

const T0 = Date.UTC(2024, 2, 1, 12);

function statsOf(entries: readonly StatsEntry[], options = {}): ChunkStats {
  const stats = new ChunkStats(options);
  for (const entry of entries) stats.add(entry);
  return stats;
}

/** The statistics that are exact, so equal however the stream was split (heavy-hitter totals included). */
function exactPart(json: ChunkStatsJSON) {
  const { topMessages, topPaths, sample, options, ...exact } = json;
  return { ...exact, messageTotal: topMessages.total, pathTotal: topPaths.total, seen: sample.seen };
}

const entryArbitrary: fc.Arbitrary<StatsEntry> = fc.record(
  {
    ts: fc.integer({ min: T0, max: T0 + 600_000 }),
    level: fc.constantFrom(...LEVELS),
    service: fc.constantFrom('api', 'web', 'db'),
    method: fc.constantFrom('GET', 'POST'),
    path: fc.constantFrom('/a', '/b', '/c/d'),
    status: fc.constantFrom(200, 204, 302, 404, 500, 503),
    latencyMs: fc.integer({ min: 0, max: 5000 }),
    message: fc.constantFrom('started', 'stopped', 'timeout', 'GET /a HTTP/1.1'),
  },
  { requiredKeys: ['message'] },
);

describe('ChunkStats', () => {
  const entries: StatsEntry[] = [
    {
      ts: T0 + 1_000,
      level: 'INFO',
      service: 'api',
      method: 'GET',
      path: '/a',
      status: 200,
      latencyMs: 10,
      message: 'GET /a',
    },
    {
      ts: T0 + 2_000,
      level: 'INFO',
      service: 'api',
      method: 'GET',
      path: '/a',
      status: 503,
      latencyMs: 900,
      message: 'GET /a',
    },
    { ts: T0 + 61_000, level: 'ERROR', service: 'db', message: 'deadlock detected' },
    { ts: T0 + 62_000, level: 'WARN', service: 'db', message: 'slow query' },
    {
      ts: T0 + 63_000,
      service: 'api',
      method: 'POST',
      path: '/b',
      status: 404,
      latencyMs: 30,
      message: 'POST /b',
    },
    { level: 'INFO', message: 'no timestamp' },
  ];

  it('counts levels, services, statuses and methods exactly, and the time range', () => {
    const s = summarize(statsOf(entries));
    expect(s.total).toBe(6);
    expect(s.undated).toBe(1);
    expect([s.from, s.until]).toEqual([T0 + 1_000, T0 + 63_000]);
    expect(s.levels).toEqual({ INFO: 3, '(none)': 1, ERROR: 1, WARN: 1 });
    expect(s.services).toEqual({ api: 3, db: 2, '(none)': 1 });
    expect(s.statuses).toEqual({ 200: 1, 404: 1, 503: 1 });
    expect(s.methods).toEqual({ GET: 2, POST: 1 });
  });

  it('counts lines and errors (ERROR, FATAL, 5xx) per minute', () => {
    expect(timeline(statsOf(entries))).toEqual({
      widthMs: 60_000,
      points: [
        { at: T0, lines: 2, errors: 1 },
        { at: T0 + 60_000, lines: 3, errors: 1 },
      ],
    });
  });

  it('rates success per service per minute and cumulatively: 2xx for HTTP, not ERROR/FATAL otherwise', () => {
    const [api, db, none] = successRates(statsOf(entries));
    expect(api).toEqual({
      service: 'api',
      total: 3,
      successes: 1,
      rate: 1 / 3,
      widthMs: 60_000,
      points: [
        { at: T0, total: 2, successes: 1, rate: 0.5, cumulativeRate: 0.5 },
        { at: T0 + 60_000, total: 1, successes: 0, rate: 0, cumulativeRate: 1 / 3 },
      ],
    });
    expect(db?.points).toEqual([{ at: T0 + 60_000, total: 2, successes: 1, rate: 0.5, cumulativeRate: 0.5 }]);
    // The undated entry counts in the service's totals but in no minute.
    expect(none).toMatchObject({ service: '(none)', total: 1, successes: 1, points: [] });
  });

  it('finds the worst failure window from the per-second counts', () => {
    // The 503 at +2 s and the ERROR at +61 s share the 60 s window [+2 s, +62 s) once the 200 at +1 s left it.
    expect(failurePeak(statsOf(entries), { windowSeconds: 60, minLines: 2 })).toMatchObject({
      rate: 1,
      failures: 2,
      total: 2,
      from: T0 + 2_000,
      until: T0 + 62_000,
    });
    // No 60 s window holds three lines and both failures; the first three-line window is +4 s .. +63 s.
    expect(failurePeak(statsOf(entries), { windowSeconds: 60, minLines: 3 })).toMatchObject({
      rate: 1 / 3,
      from: T0 + 4_000,
      until: T0 + 64_000,
    });
  });

  it('merges the partials of any split of a stream into the statistics of the whole (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            entryArbitrary,
            entryArbitrary.map(({ ts, ...rest }) => rest),
          ),
          { maxLength: 120 },
        ),
        fc.array(fc.nat(120), { maxLength: 5 }),
        (stream, cuts) => {
          const whole = statsOf(stream);
          const bounds = [
            0,
            ...cuts.map((c) => Math.min(c, stream.length)).sort((a, b) => a - b),
            stream.length,
          ];
          const merged = new ChunkStats();
          for (let i = 0; i + 1 < bounds.length; i++) {
            const part = statsOf(stream.slice(bounds[i], bounds[i + 1]), { seed: i + 1 });
            merged.merge(ChunkStats.fromJSON(JSON.parse(JSON.stringify(part))));
          }
          expect(exactPart(merged.toJSON())).toEqual(exactPart(whole.toJSON()));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('subtracts removed entries from every exact counter (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(entryArbitrary, fc.boolean()), { maxLength: 100 }), (marked) => {
        const stats = statsOf(marked.map(([entry]) => entry));
        for (const [entry, duplicate] of marked) if (duplicate) stats.remove(entry);
        const kept = statsOf(marked.filter(([, duplicate]) => !duplicate).map(([entry]) => entry));
        // Min/max time and latency cannot be undone; they stay as bounds (checked below).
        const strip = (json: ChunkStatsJSON) => {
          const { minTs, maxTs, latency, latencyByPath, ...rest } = exactPart(json);
          const sketches = Object.fromEntries(
            Object.entries(latencyByPath).map(([path, l]) => [path, [l.count, l.sum, l.sketch]]),
          );
          return {
            ...rest,
            messageTotal: 0,
            pathTotal: 0,
            seen: 0,
            latency: [latency.count, latency.sum, latency.sketch],
            sketches,
          };
        };
        expect(strip(stats.toJSON())).toEqual(strip(kept.toJSON()));
        const after = stats.toJSON();
        const truth = kept.toJSON();
        if (truth.minTs !== null) expect(after.minTs).toBeLessThanOrEqual(truth.minTs);
        if (truth.maxTs !== null) expect(after.maxTs).toBeGreaterThanOrEqual(truth.maxTs);
      }),
      { numRuns: 200 },
    );
  });

  it('gives per-path latency quantiles within 1% of the exact sorted values', () => {
    const log = [...syntheticAccessLog({ count: 50_000, seed: 3 })];
    const reports = latencyByPath(statsOf(log));
    for (const path of ['/', '/health', '/api/search', '/api/checkout']) {
      const sorted = log
        .filter((e) => e.path === path)
        .map((e) => e.latencyMs!)
        .sort((a, b) => a - b);
      const report = reports.find((r) => r.path === path)!;
      expect(report.count).toBe(sorted.length);
      expect(report.min).toBe(sorted[0]);
      expect(report.max).toBe(sorted[sorted.length - 1]);
      for (const [q, estimate] of [
        [0.5, report.p50],
        [0.95, report.p95],
        [0.99, report.p99],
      ] as const) {
        const exact = sorted[Math.floor(q * (sorted.length - 1))]!;
        expect(Math.abs(estimate - exact) / exact, `${path} p${q * 100}`).toBeLessThanOrEqual(0.01 + 1e-12);
      }
    }
  });

  it('keeps at most maxLatencyPaths paths and folds the rest into "(other)"', () => {
    const log = [...syntheticAccessLog({ count: 20_000, seed: 4 })];
    const reports = latencyByPath(statsOf(log, { maxLatencyPaths: 20 }));
    expect(reports).toHaveLength(21);
    expect(reports.reduce((sum, r) => sum + r.count, 0)).toBe(20_000);
    const named = new Set(reports.map((r) => r.path));
    const other = reports.find((r) => r.path === '(other)')!;
    expect(other.count).toBe(log.filter((e) => !named.has(e.path!)).length);
  });

  it('estimates the common status codes from the sample, beside the exact counts', () => {
    const log = [...syntheticAccessLog({ count: 20_000, seed: 5 })];
    const stats = statsOf(log, { reservoirSize: 200, seed: 9 });
    const rows = statusEstimates(stats);
    const exact = new Map<number, number>();
    for (const e of log) exact.set(e.status!, (exact.get(e.status!) ?? 0) + 1);
    expect(rows.map((r) => [r.status, r.exact])).toEqual(
      [...exact].sort((a, b) => b[1] - a[1] || a[0] - b[0]),
    );
    expect(rows.reduce((sum, r) => sum + r.inSample, 0)).toBe(200);
    for (const row of rows) expect(row.estimated).toBe(Math.round((row.inSample / 200) * 20_000));
    // 200 is 90% of requests; a 200-entry sample puts it within 10 points (about 4 standard deviations).
    const ok = rows.find((r) => r.status === 200)!;
    expect(Math.abs(ok.estimated - ok.exact) / 20_000).toBeLessThan(0.1);
  });

  it('widens the per-second buckets past maxSeconds and rates the failure window at that resolution', () => {
    // 100 seconds with one line each, every 10th failing, kept in at most 30 buckets: 4-second buckets.
    const log: StatsEntry[] = Array.from({ length: 100 }, (_, s) => ({
      ts: T0 + s * 1000,
      level: s % 10 === 0 ? 'ERROR' : 'INFO',
      message: 'tick',
    }));
    const peak = failurePeak(statsOf(log, { maxSeconds: 30 }), { windowSeconds: 10, minLines: 12 });
    // A 10 s window rounds up to three 4 s buckets (12 lines); the first 12 s hold the failures at 0 s and 10 s.
    expect(peak).toEqual({
      windowMs: 12_000,
      resolutionMs: 4000,
      rate: 2 / 12,
      failures: 2,
      total: 12,
      from: T0,
      until: T0 + 12_000,
    });
  });

  it('keeps messages and paths cut to maxKeyLength in the top lists and the sample', () => {
    const long = 'x'.repeat(300);
    const s = summarize(statsOf([{ message: long, path: `/${long}` }], { maxKeyLength: 50 }));
    expect(s.topMessages.items).toEqual([{ item: 'x'.repeat(50), count: 1, error: 0 }]);
    expect(s.topPaths.items[0]?.item).toBe(`/${'x'.repeat(49)}`);
    expect(s.sample).toEqual([{ message: 'x'.repeat(50), path: `/${'x'.repeat(49)}` }]);
  });

  it('samples reservoirSize entries over all merged chunks', () => {
    const log = [...syntheticAccessLog({ count: 5000, seed: 6 })];
    const merged = new ChunkStats({ reservoirSize: 50, seed: 1 });
    for (let c = 0; c < 5; c++)
      merged.merge(statsOf(log.slice(c * 1000, (c + 1) * 1000), { reservoirSize: 50, seed: c + 2 }));
    const picked = summarize(merged).sample;
    expect(picked).toHaveLength(50);
    expect(merged.toJSON().sample.seen).toBe(5000);
    // Every sampled entry is one of the stream's, and the sample reaches into several chunks.
    const messages = new Set(log.map((e) => `${e.ts} ${e.message}`));
    expect(picked.every((e) => messages.has(`${e.ts} ${e.message}`))).toBe(true);
    const chunksHit = new Set(
      picked.map((e) => (log.findIndex((l) => l.ts === e.ts && l.message === e.message) / 1000) | 0),
    );
    expect(chunksHit.size).toBeGreaterThan(2);
  });

  it('refuses to merge partials built with different sketch sizes', () => {
    expect(() => new ChunkStats({ topK: 10 }).merge(new ChunkStats({ topK: 20 }))).toThrow(/topK/);
    expect(() => new ChunkStats({ seed: 1 }).merge(new ChunkStats({ seed: 2 }))).not.toThrow();
    expect(() => new ChunkStats({ reservoirSize: 0 })).toThrow(/reservoirSize/);
  });
});
