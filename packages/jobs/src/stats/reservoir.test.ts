import { describe, expect, it } from 'vitest';
import { Reservoir } from './reservoir.js';

const TRIALS = 20_000;

/** Pearson chi-square of observed counts against equal expected counts. */
function chiSquare(observed: readonly number[]): number {
  const expected = observed.reduce((a, b) => a + b, 0) / observed.length;
  return observed.reduce((sum, o) => sum + (o - expected) ** 2 / expected, 0);
}

/** How often each stream position 0..n-1 ends up in the sample, over `TRIALS` seeds. */
function inclusionCounts(n: number, sampleOnce: (seed: number) => readonly number[]): number[] {
  const counts = new Array<number>(n).fill(0);
  for (let trial = 0; trial < TRIALS; trial++) {
    for (const item of sampleOnce(trial * 2 + 1)) counts[item]!++;
  }
  return counts;
}

function filled(capacity: number, seed: number, items: readonly number[]): Reservoir<number> {
  const reservoir = new Reservoir<number>(capacity, seed);
  for (const item of items) reservoir.add(item);
  return reservoir;
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('Reservoir', () => {
  it('keeps every item, in order, while the stream is shorter than the capacity', () => {
    const reservoir = filled(5, 1, [10, 11, 12]);
    expect(reservoir.sample).toEqual([10, 11, 12]);
    expect(reservoir.seen).toBe(3);
  });

  it('keeps exactly `capacity` distinct items of a longer stream, the same ones for the same seed', () => {
    const first = filled(10, 42, range(0, 1000));
    expect(first.sample).toHaveLength(10);
    expect(new Set(first.sample).size).toBe(10);
    expect(filled(10, 42, range(0, 1000)).sample).toEqual(first.sample);
    expect(filled(10, 43, range(0, 1000)).sample).not.toEqual(first.sample);
  });

  // Chi-square with 19 degrees of freedom exceeds 50.8 with probability 1e-4 for a uniform sampler.
  it('samples uniformly: each of 20 items is kept in 5 of 20 draws as often as the others', () => {
    const counts = inclusionCounts(20, (seed) => filled(5, seed, range(0, 20)).sample);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(5 * TRIALS);
    expect(chiSquare(counts)).toBeLessThan(50.8);
  });

  // 39 degrees of freedom: 80.6 is the 1e-4 tail. The sides are unequal (30 and 10 items), so a merge
  // that drew evenly from both sides would keep each of the 10 right-hand items far too often.
  it('stays uniform over n1 + n2 when merging reservoirs of unequal streams', () => {
    const merged = (seed: number) => {
      const left = filled(5, seed, range(0, 30));
      left.merge(Reservoir.fromJSON(JSON.parse(JSON.stringify(filled(5, seed + 1, range(30, 40))))));
      expect(left.seen).toBe(40);
      return left.sample;
    };
    expect(chiSquare(inclusionCounts(40, merged))).toBeLessThan(80.6);

    const halfFromEachSide = (seed: number) => [
      ...filled(5, seed, range(0, 30)).sample.slice(0, 3),
      ...filled(5, seed + 1, range(30, 40)).sample.slice(0, 2),
    ];
    expect(chiSquare(inclusionCounts(40, halfFromEachSide))).toBeGreaterThan(1000);
  });

  it('keeps both sides whole when together they fit', () => {
    const left = filled(10, 1, [1, 2, 3]);
    left.merge(filled(10, 2, [4, 5]));
    expect(left.sample).toEqual([1, 2, 3, 4, 5]);
    expect(left.seen).toBe(5);
    expect(() => left.merge(new Reservoir<number>(3))).toThrow(/capacity/);
  });

  it('continues the same sequence after a JSON round trip', () => {
    const original = filled(8, 5, range(0, 500));
    const copy = Reservoir.fromJSON<number>(JSON.parse(JSON.stringify(original)));
    for (const item of range(500, 2000)) {
      original.add(item);
      copy.add(item);
    }
    expect(copy.sample).toEqual(original.sample);
    expect(copy.seen).toBe(2000);
  });
});
