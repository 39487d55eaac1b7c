import { decodeRuns, encodeRuns, type Runs } from './runs.js';

/** Default relative accuracy: quantiles within 1% of the true value. */
export const DEFAULT_RELATIVE_ACCURACY = 0.01;

/** Values at or below this (ms, for latencies) count as zero: there is no logarithm to bucket them by. */
const ZERO_THRESHOLD = 1e-9;

export interface QuantileSketchJSON {
  relativeAccuracy: number;
  /** Values <= 1e-9, negatives included. */
  zeros: number;
  /** Bucket counts as runs of [firstIndex, count, count, ...]. */
  buckets: Runs;
}

/**
 * A mergeable quantile sketch with relative accuracy alpha (DDSketch, Masson et al. 2019): a value x > 0 is
 * counted in bucket ceil(log_gamma x), gamma = (1 + alpha) / (1 - alpha), and a bucket answers
 * 2 gamma^i / (gamma + 1), which is within alpha * x of every value in it. So `quantile(q)` is within
 * alpha (relative) of the exact element of rank floor(q * (n - 1)) in the sorted values.
 *
 * Bucket counts add up exactly, so merging is exact (a merge of sketches equals the sketch of the whole
 * stream) and a value can be removed exactly. Memory grows with log(max / min) / alpha: latencies from
 * 0.1 ms to 1 hour span at most 870 buckets at 1%.
 */
export class QuantileSketch {
  readonly relativeAccuracy: number;
  private readonly logGamma: number;
  private readonly buckets = new Map<number, number>();
  private zeros = 0;
  private total = 0;

  constructor(relativeAccuracy = DEFAULT_RELATIVE_ACCURACY) {
    if (!(relativeAccuracy > 0 && relativeAccuracy < 1)) {
      throw new RangeError(`relativeAccuracy must be in (0, 1): ${relativeAccuracy}`);
    }
    this.relativeAccuracy = relativeAccuracy;
    this.logGamma = Math.log((1 + relativeAccuracy) / (1 - relativeAccuracy));
  }

  static fromJSON(json: QuantileSketchJSON): QuantileSketch {
    const sketch = new QuantileSketch(json.relativeAccuracy);
    sketch.zeros = json.zeros;
    sketch.total = json.zeros;
    for (const [index, [count]] of decodeRuns(json.buckets, 1)) {
      sketch.buckets.set(index, count!);
      sketch.total += count!;
    }
    return sketch;
  }

  get count(): number {
    return this.total;
  }

  add(value: number, times = 1): void {
    this.total += times;
    if (value <= ZERO_THRESHOLD) {
      this.zeros += times;
      return;
    }
    const index = Math.ceil(Math.log(value) / this.logGamma);
    this.buckets.set(index, (this.buckets.get(index) ?? 0) + times);
  }

  /** Removes one earlier `add(value)`. Removing a value never added corrupts the counts. */
  remove(value: number): void {
    this.total--;
    if (value <= ZERO_THRESHOLD) {
      this.zeros--;
      return;
    }
    const index = Math.ceil(Math.log(value) / this.logGamma);
    const left = (this.buckets.get(index) ?? 0) - 1;
    if (left === 0) this.buckets.delete(index);
    else this.buckets.set(index, left);
  }

  /** The estimated q-quantile (q in [0, 1]); NaN when empty. */
  quantile(q: number): number {
    if (this.total === 0) return Number.NaN;
    const rank = Math.floor(Math.min(1, Math.max(0, q)) * (this.total - 1));
    let seen = this.zeros;
    if (seen > rank) return 0;
    const indexes = [...this.buckets.keys()].sort((a, b) => a - b);
    for (const index of indexes) {
      seen += this.buckets.get(index)!;
      if (seen > rank) return (2 * Math.exp(index * this.logGamma)) / (Math.exp(this.logGamma) + 1);
    }
    return Number.NaN; // unreachable while counts are consistent
  }

  merge(other: QuantileSketch): void {
    if (other.relativeAccuracy !== this.relativeAccuracy) {
      throw new Error(
        `cannot merge sketches of accuracy ${this.relativeAccuracy} and ${other.relativeAccuracy}`,
      );
    }
    this.zeros += other.zeros;
    this.total += other.total;
    for (const [index, count] of other.buckets) {
      this.buckets.set(index, (this.buckets.get(index) ?? 0) + count);
    }
  }

  toJSON(): QuantileSketchJSON {
    const vectors = new Map<number, number[]>();
    for (const [index, count] of this.buckets) vectors.set(index, [count]);
    return { relativeAccuracy: this.relativeAccuracy, zeros: this.zeros, buckets: encodeRuns(vectors, 1) };
  }
}
