import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BucketSeries } from './bucket-series.js';

/** Brute force: [lines, flagged] per bucket of `widthMs`, as a sorted list of points. */
function bucketed(events: readonly [number, boolean][], widthMs: number) {
  const buckets = new Map<number, number[]>();
  for (const [ts, flagged] of events) {
    const at = Math.floor(ts / widthMs) * widthMs;
    const values = buckets.get(at) ?? [0, 0];
    values[0]!++;
    if (flagged) values[1]!++;
    buckets.set(at, values);
  }
  return [...buckets].sort((a, b) => a[0] - b[0]).map(([at, values]) => ({ at, values }));
}

function fill(series: BucketSeries, events: readonly [number, boolean][]): BucketSeries {
  for (const [ts, flagged] of events) {
    series.add(ts, 0);
    if (flagged) series.add(ts, 1);
  }
  return series;
}

const T0 = Date.UTC(2024, 2, 1, 12);

describe('BucketSeries', () => {
  it('counts per epoch-aligned bucket, whatever the arrival order', () => {
    const events: [number, boolean][] = [
      [T0 + 59_999, true],
      [T0, false],
      [T0 + 60_000, false],
      [T0 + 30_000, false],
      [T0 + 185_000, true],
    ];
    expect(fill(new BucketSeries(60_000, 2, 100), events).points()).toEqual([
      { at: T0, values: [3, 1] },
      { at: T0 + 60_000, values: [1, 0] },
      { at: T0 + 180_000, values: [1, 1] },
    ]);
  });

  it('widens its buckets by powers of two when it would hold more than maxBuckets', () => {
    const events: [number, boolean][] = Array.from({ length: 10 }, (_, s) => [T0 + s * 1000, s % 3 === 0]);
    const series = fill(new BucketSeries(1000, 2, 4), events);
    expect(series.widthMs).toBe(4000);
    expect(series.points()).toEqual(bucketed(events, 4000));
  });

  it('merges partials of any split into the series of the whole stream, coarsened or not (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 200_000 }), fc.boolean()), { maxLength: 200 }),
        fc.array(fc.nat(200), { maxLength: 4 }),
        fc.integer({ min: 1, max: 40 }),
        (offsets, cuts, maxBuckets) => {
          const events = offsets.map(([ms, flagged]): [number, boolean] => [T0 + ms, flagged]);
          const whole = fill(new BucketSeries(1000, 2, maxBuckets), events);
          const bounds = [
            0,
            ...cuts.map((c) => Math.min(c, events.length)).sort((a, b) => a - b),
            events.length,
          ];
          const merged = new BucketSeries(1000, 2, maxBuckets);
          for (let i = 0; i + 1 < bounds.length; i++) {
            const part = fill(new BucketSeries(1000, 2, maxBuckets), events.slice(bounds[i], bounds[i + 1]));
            merged.merge(BucketSeries.fromJSON(JSON.parse(JSON.stringify(part))));
          }
          expect(merged.toJSON()).toEqual(whole.toJSON());
          expect(whole.points()).toEqual(bucketed(events, whole.widthMs));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('drops a bucket once removals bring all its counters back to zero', () => {
    const series = fill(new BucketSeries(1000, 2, 10), [
      [T0, true],
      [T0 + 5000, false],
    ]);
    series.add(T0, 0, -1);
    series.add(T0, 1, -1);
    expect(series.points()).toEqual([{ at: T0 + 5000, values: [1, 0] }]);
    expect(series.at(T0)).toBeUndefined();
  });

  it('refuses to merge series of another base width', () => {
    expect(() => new BucketSeries(1000, 2, 10).merge(new BucketSeries(60_000, 2, 10))).toThrow(/base width/);
  });
});
