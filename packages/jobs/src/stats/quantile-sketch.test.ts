import { describe, expect, it } from 'vitest';
import { SeededRandom } from './prng.js';
import { QuantileSketch } from './quantile-sketch.js';

function lognormal(count: number, median: number, seed: number): number[] {
  const rng = new SeededRandom(seed);
  return Array.from({ length: count }, () => {
    const normal = Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
    return median * Math.exp(normal);
  });
}

/** The element of rank floor(q (n - 1)) of the sorted values: the quantile the sketch approximates. */
function exactQuantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(q * (sorted.length - 1))]!;
}

const QUANTILES = [0, 0.01, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1];

describe('QuantileSketch', () => {
  it.each([0.01, 0.05])(
    'answers every quantile within relative accuracy %s of the sorted values',
    (alpha) => {
      const values = lognormal(20_000, 120, 11);
      const sketch = new QuantileSketch(alpha);
      for (const v of values) sketch.add(v);
      expect(sketch.count).toBe(20_000);
      for (const q of QUANTILES) {
        const exact = exactQuantile(values, q);
        expect(Math.abs(sketch.quantile(q) - exact) / exact, `q=${q}`).toBeLessThanOrEqual(alpha + 1e-12);
      }
    },
  );

  it('is accurate on values spanning nine orders of magnitude', () => {
    const values = Array.from({ length: 1000 }, (_, i) => 10 ** (-3 + (9 * i) / 999));
    const sketch = new QuantileSketch(0.01);
    for (const v of values) sketch.add(v);
    for (const q of QUANTILES) {
      const exact = exactQuantile(values, q);
      expect(Math.abs(sketch.quantile(q) - exact) / exact).toBeLessThanOrEqual(0.01 + 1e-12);
    }
  });

  it('counts zero and negative values as zero', () => {
    const sketch = new QuantileSketch();
    for (const v of [0, 0, -1, 5]) sketch.add(v);
    expect(sketch.quantile(0.5)).toBe(0);
    expect(sketch.quantile(1)).toBeCloseTo(5, 1);
    expect(new QuantileSketch().quantile(0.5)).toBeNaN();
  });

  it('merges exactly: the merge of two halves equals the sketch of the whole', () => {
    const values = lognormal(5000, 40, 2);
    const whole = new QuantileSketch();
    const left = new QuantileSketch();
    const right = new QuantileSketch();
    values.forEach((v, i) => {
      whole.add(v);
      (i < 2000 ? left : right).add(v);
    });
    left.merge(QuantileSketch.fromJSON(JSON.parse(JSON.stringify(right))));
    expect(left.toJSON()).toEqual(whole.toJSON());
    expect(() => left.merge(new QuantileSketch(0.02))).toThrow(/accuracy/);
  });

  it('removes exactly: adding then removing some values equals never adding them', () => {
    const kept = lognormal(3000, 40, 4);
    const removed = lognormal(500, 400, 5);
    const sketch = new QuantileSketch();
    for (const v of [...kept, ...removed, 0]) sketch.add(v);
    for (const v of [...removed, 0]) sketch.remove(v);
    const expected = new QuantileSketch();
    for (const v of kept) expected.add(v);
    expect(sketch.toJSON()).toEqual(expected.toJSON());
    expect(sketch.count).toBe(3000);
  });

  it('round-trips through JSON', () => {
    const sketch = new QuantileSketch();
    for (const v of lognormal(1000, 10, 6)) sketch.add(v);
    const copy = QuantileSketch.fromJSON(JSON.parse(JSON.stringify(sketch)));
    expect(copy.count).toBe(1000);
    expect(QUANTILES.map((q) => copy.quantile(q))).toEqual(QUANTILES.map((q) => sketch.quantile(q)));
  });
});
