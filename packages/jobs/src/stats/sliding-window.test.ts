import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BucketSeries } from './bucket-series.js';
import { peakFailureRate } from './sliding-window.js';

const T0 = Date.UTC(2024, 2, 1, 12);

function perSecond(events: readonly [number, boolean][]): BucketSeries {
  const series = new BucketSeries(1000, 2, 1_000_000);
  for (const [ts, failed] of events) {
    series.add(ts, 0);
    if (failed) series.add(ts, 1);
  }
  return series;
}

/**
 * Brute force: for every second t from the first event's second + w - 1 to the last event's second, rate
 * the events of seconds t - w + 1 .. t (or, when the events span less than w seconds, all of them as one
 * window from the first second); keep the earliest maximum among windows of at least minLines events.
 */
function bruteForcePeak(events: readonly [number, boolean][], windowSeconds: number, minLines: number) {
  const seconds = events.map(([ts]) => Math.floor(ts / 1000));
  const first = Math.min(...seconds);
  const last = Math.max(...seconds);
  let best: { rate: number; failures: number; total: number; from: number; until: number } | null = null;
  for (let t = Math.min(first + windowSeconds - 1, last); t <= last; t++) {
    let total = 0;
    let failures = 0;
    events.forEach(([, failed], i) => {
      if (seconds[i]! > t - windowSeconds && seconds[i]! <= t) {
        total++;
        if (failed) failures++;
      }
    });
    if (total < minLines) continue;
    if (best === null || failures / total > best.rate) {
      best = {
        rate: failures / total,
        failures,
        total,
        from: Math.max(t - windowSeconds + 1, first) * 1000,
        until: (t + 1) * 1000,
      };
    }
  }
  return best;
}

describe('peakFailureRate', () => {
  it('finds a 30-second outage inside steady traffic', () => {
    // 10 lines per second for 10 minutes; seconds 300..329 fail entirely, the rest fail 1 line in 10.
    const events: [number, boolean][] = [];
    for (let s = 0; s < 600; s++) {
      for (let i = 0; i < 10; i++)
        events.push([T0 + s * 1000 + i * 100, s >= 300 && s < 330 ? true : i === 0]);
    }
    const series = perSecond(events);
    const peak = peakFailureRate(series.points(), series.widthMs, { windowSeconds: 30 });
    expect(peak).toEqual({
      windowMs: 30_000,
      resolutionMs: 1000,
      rate: 1,
      failures: 300,
      total: 300,
      from: T0 + 300_000,
      until: T0 + 330_000,
    });
    // A 60-second window at best holds the 30 failed seconds (300 failures) and 30 ordinary ones (30 more);
    // the earliest such window ends with the outage.
    const wide = peakFailureRate(series.points(), series.widthMs, { windowSeconds: 60 });
    expect(wide?.failures).toBe(330);
    expect(wide?.total).toBe(600);
    expect(wide?.from).toBe(T0 + 270_000);
  });

  it('rates whole windows only: a bad first second is one second of the first minute', () => {
    // 10 lines per second for 2 minutes; every line of the first second fails.
    const events: [number, boolean][] = [];
    for (let s = 0; s < 120; s++)
      for (let i = 0; i < 10; i++) events.push([T0 + s * 1000 + i * 100, s === 0]);
    const series = perSecond(events);
    expect(peakFailureRate(series.points(), series.widthMs)).toEqual({
      windowMs: 60_000,
      resolutionMs: 1000,
      rate: 10 / 600,
      failures: 10,
      total: 600,
      from: T0,
      until: T0 + 60_000,
    });
    // Data shorter than the window is rated as one window over all of it, from its first second.
    const short = perSecond(events.slice(0, 200)); // 20 s
    expect(peakFailureRate(short.points(), short.widthMs)).toMatchObject({
      rate: 10 / 200,
      from: T0,
      until: T0 + 20_000,
    });
  });

  it('ignores windows with fewer than minLines lines', () => {
    // A lone failure, then 100 s later 30 lines within one second, 3 of them failures.
    const events: [number, boolean][] = [
      [T0, true],
      ...Array.from({ length: 30 }, (_, i): [number, boolean] => [T0 + 100_000 + i * 10, i < 3]),
    ];
    const series = perSecond(events);
    expect(peakFailureRate(series.points(), 1000, { minLines: 20 })?.rate).toBe(0.1);
    expect(peakFailureRate(series.points(), 1000, { minLines: 1 })?.rate).toBe(1);
    expect(peakFailureRate([], 1000)).toBeNull();
  });

  it('equals the brute-force maximum over every second (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 400_000 }), fc.boolean()), {
          minLength: 1,
          maxLength: 120,
        }),
        fc.integer({ min: 1, max: 90 }),
        fc.integer({ min: 1, max: 8 }),
        (offsets, windowSeconds, minLines) => {
          const events = offsets.map(([ms, failed]): [number, boolean] => [T0 + ms, failed]);
          const series = perSecond(events);
          const peak = peakFailureRate(series.points(), series.widthMs, { windowSeconds, minLines });
          const expected = bruteForcePeak(events, windowSeconds, minLines);
          if (expected === null) expect(peak).toBeNull();
          else expect(peak).toEqual({ windowMs: windowSeconds * 1000, resolutionMs: 1000, ...expected });
        },
      ),
      { numRuns: 300 },
    );
  });
});
