import { describe, expect, it } from 'vitest';
import { detectAnomalies, detectErrorSpikes, detectVolumeChanges, type MinuteCounts } from './anomalies.js';
import { ChunkStats } from './chunk-stats.js';
import { detectLatencyOutliers, type PathLatencyInput } from './latency-outliers.js';
import { findNewTemplates } from './new-templates.js';
import { syntheticAccessLog } from './synthetic-access-log.js';

const T0 = Date.UTC(2024, 2, 1, 12);
const MINUTE = 60_000;
const minute = (i: number) => T0 + i * MINUTE;

/** 120 minutes of 100 lines; errors cycle 0, 1, 2, so rates are 0%, 1%, 2% in equal parts. */
function steadySeries(): MinuteCounts[] {
  return Array.from({ length: 120 }, (_, i) => ({ at: minute(i), lines: 100, errors: i % 3 }));
}

describe('detectErrorSpikes', () => {
  it('flags exactly the injected minutes as one anomaly, with the peak, the baseline and the robust z', () => {
    const series = steadySeries();
    series[50]!.errors = 30;
    series[51]!.errors = 45;
    series[52]!.errors = 20;
    // Median rate 1%; MAD 1 point, so the spread is 1.4826 points and the cut-off 1% + 3.5 * 1.4826%.
    const anomalies = detectErrorSpikes(series);
    expect(anomalies).toHaveLength(1);
    const [spike] = anomalies;
    expect(spike).toMatchObject({
      kind: 'error-spike',
      at: minute(50),
      until: minute(53),
      value: 0.45,
      baseline: 0.01,
    });
    expect(spike!.deviation).toBeCloseTo((0.45 - 0.01) / (1.4826 * 0.01), 9);
    expect(spike!.message).toBe(
      'Error rate peaked at 45.0% (95 errors in 300 lines) from 2024-03-01 12:50 UTC to 2024-03-01 12:53 UTC; usual rate 1.0%.',
    );
  });

  it('reports separate spikes separately', () => {
    const series = steadySeries();
    series[10]!.errors = 40;
    series[12]!.errors = 40;
    expect(detectErrorSpikes(series).map((a) => [a.at, a.until])).toEqual([
      [minute(10), minute(11)],
      [minute(12), minute(13)],
    ]);
  });

  it('finds nothing in a flat series', () => {
    const flat = Array.from({ length: 120 }, (_, i) => ({ at: minute(i), lines: 100, errors: 1 }));
    expect(detectErrorSpikes(flat)).toEqual([]);
    expect(detectVolumeChanges(flat)).toEqual([]);
  });

  it('does not call a single error in a quiet minute a spike', () => {
    const quiet = Array.from({ length: 60 }, (_, i) => ({
      at: minute(i),
      lines: 10,
      errors: i === 30 ? 1 : 0,
    }));
    expect(detectErrorSpikes(quiet)).toEqual([]);
    // It is the minimum error count that holds it back: 10% is far above the usual 0%.
    expect(detectErrorSpikes(quiet, { minErrors: 1 }).map((a) => a.at)).toEqual([minute(30)]);
  });
});

describe('detectVolumeChanges', () => {
  it('flags nothing in a sparse log, whose usual minute is empty', () => {
    // 3 hours, lines in one minute out of ten (a daemon's log): the median minute has none.
    const sparse = Array.from({ length: 180 }, (_, i) => ({
      at: minute(i),
      lines: i % 10 === 0 ? 5 + (i % 7) : 0,
    }));
    sparse[100]!.lines = 120;
    expect(detectVolumeChanges(sparse)).toEqual([]);
  });

  /** 120 minutes of 95..105 lines (a fixed pattern), a partial first and last minute. */
  function noisyVolume(): { at: number; lines: number }[] {
    const series = Array.from({ length: 120 }, (_, i) => ({ at: minute(i), lines: 95 + ((i * 7) % 11) }));
    series[0]!.lines = 3;
    series[119]!.lines = 2;
    return series;
  }

  it('flags an injected burst at exactly the injected minutes', () => {
    const series = noisyVolume();
    for (const i of [30, 31, 32]) series[i]!.lines = 400;
    const anomalies = detectVolumeChanges(series);
    expect(anomalies.map((a) => [a.kind, a.at, a.until, a.value, a.baseline])).toEqual([
      ['volume-burst', minute(30), minute(33), 400, 100],
    ]);
  });

  it('counts missing minutes as empty and flags them as a drop, but not the partial first and last minutes', () => {
    const series = noisyVolume().filter((_, i) => i !== 70 && i !== 71);
    expect(detectVolumeChanges(series).map((a) => [a.kind, a.at, a.until, a.value])).toEqual([
      ['volume-drop', minute(70), minute(72), 0],
    ]);
    expect(detectVolumeChanges(noisyVolume())).toEqual([]);
  });
});

describe('findNewTemplates', () => {
  it('lists the templates the service never had, by first appearance', () => {
    const seen = [
      { id: 'a', text: 'User <*> logged in', count: 500, firstSeen: minute(0) },
      { id: 'd', text: 'Cache miss for <*>', count: 3, firstSeen: minute(9) },
      { id: 'c', text: 'Retrying payment <*>', count: 40, firstSeen: minute(5) },
    ];
    expect(findNewTemplates(new Set(['a', 'b']), seen)).toEqual([
      {
        kind: 'new-template',
        at: minute(5),
        value: 40,
        baseline: 0,
        deviation: null,
        subject: 'c',
        message: 'New message "Retrying payment <*>": 40 lines, first at 2024-03-01 12:05 UTC.',
      },
      expect.objectContaining({ subject: 'd', at: minute(9), value: 3 }),
    ]);
    expect(findNewTemplates(['a', 'c', 'd'], seen)).toEqual([]);
  });
});

describe('detectLatencyOutliers', () => {
  const paths: PathLatencyInput[] = [40, 45, 50, 55, 60, 65, 70, 75, 80, 85].map((p95, i) => ({
    path: `/p${i}`,
    count: 100,
    p95,
    max: p95 * 2,
    maxAt: minute(i),
  }));

  it('flags a path whose p95 is far above the median path, with the ratio as deviation', () => {
    const slow = { path: '/report', count: 50, p95: 900, max: 4000, maxAt: minute(42) };
    const anomalies = detectLatencyOutliers([...paths, slow]);
    // 11 paths: the median p95 is the 6th, 65 ms.
    expect(anomalies).toHaveLength(1);
    expect(anomalies[0]).toMatchObject({
      kind: 'latency-outlier',
      subject: '/report',
      at: minute(42),
      value: 900,
    });
    expect(anomalies[0]!.baseline).toBeCloseTo(65, 9);
    expect(anomalies[0]!.deviation).toBeCloseTo(900 / 65, 9);
  });

  it('ignores paths with few requests and needs three paths for a baseline', () => {
    const rare = { path: '/rare', count: 5, p95: 9000, max: 9000, maxAt: null };
    expect(detectLatencyOutliers([...paths, rare])).toEqual([]);
    expect(detectLatencyOutliers([paths[0]!, { ...paths[1]!, p95: 5000 }])).toEqual([]);
  });
});

describe('detectAnomalies', () => {
  it('finds a burst of 5xx responses injected into two minutes of an access log, and nothing else', () => {
    const start = Date.UTC(2024, 2, 1);
    const stats = new ChunkStats();
    for (const entry of syntheticAccessLog({
      count: 150_000,
      startTs: start,
      linesPerSecond: 20,
      seed: 12,
    })) {
      const injected = entry.ts! >= start + 60 * MINUTE && entry.ts! < start + 62 * MINUTE;
      stats.add(injected ? { ...entry, status: 503 } : entry);
    }
    const anomalies = detectAnomalies(stats);
    expect(anomalies.map((a) => [a.kind, a.at, a.until])).toEqual([
      ['error-spike', start + 60 * MINUTE, start + 62 * MINUTE],
    ]);
    expect(anomalies[0]!.value).toBe(1);
  });
});
