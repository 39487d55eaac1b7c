import { decodeRuns, encodeRuns, type Runs } from './runs.js';

export interface BucketSeriesJSON {
  /** Finest bucket width, ms (60000 for a per-minute series). */
  baseWidthMs: number;
  /** Current bucket width, ms: baseWidthMs times a power of two. */
  widthMs: number;
  /** Counters per bucket. */
  arity: number;
  maxBuckets: number;
  /** Buckets as runs of [firstBucketIndex, ...counters]; bucket i starts at i * widthMs (epoch ms, UTC). */
  runs: Runs;
}

export interface BucketPoint {
  /** Bucket start, epoch ms UTC. */
  at: number;
  values: readonly number[];
}

/**
 * A time series of `arity` counters per fixed-width bucket (lines and errors per minute, failures and total
 * per second), aligned on the epoch so two series bucket a timestamp the same way and merge by adding.
 *
 * Memory is bounded by `maxBuckets` non-empty buckets. Past it the series coarsens: the width doubles
 * (1 s, 2 s, 4 s, ...) until the buckets fit, and stays coarser. Because buckets are epoch-aligned powers
 * of two, coarsening commutes with merging: merging coarsened partials gives the same series as
 * accumulating the whole stream, which coarsens to the smallest width that fits.
 */
export class BucketSeries {
  readonly baseWidthMs: number;
  readonly arity: number;
  readonly maxBuckets: number;
  private width: number;
  private buckets = new Map<number, number[]>();
  // The last bucket touched: log lines mostly arrive in time order, so this skips most map lookups.
  private lastIndex = Number.NaN;
  private lastValues: number[] = [];

  constructor(baseWidthMs: number, arity: number, maxBuckets: number) {
    if (!(baseWidthMs > 0) || !Number.isInteger(arity) || arity < 1 || !(maxBuckets >= 1)) {
      throw new RangeError('BucketSeries needs baseWidthMs > 0, arity >= 1, maxBuckets >= 1');
    }
    this.baseWidthMs = baseWidthMs;
    this.arity = arity;
    this.maxBuckets = maxBuckets;
    this.width = baseWidthMs;
  }

  static fromJSON(json: BucketSeriesJSON): BucketSeries {
    const series = new BucketSeries(json.baseWidthMs, json.arity, json.maxBuckets);
    series.width = json.widthMs;
    series.buckets = decodeRuns(json.runs, json.arity);
    return series;
  }

  get widthMs(): number {
    return this.width;
  }

  get size(): number {
    return this.buckets.size;
  }

  /** Adds `delta` (negative to remove) to counter `slot` of the bucket holding `ts` (epoch ms). */
  add(ts: number, slot: number, delta = 1): void {
    const index = Math.floor(ts / this.width);
    let values = this.lastValues;
    if (index !== this.lastIndex) {
      let found = this.buckets.get(index);
      if (!found) {
        found = new Array<number>(this.arity).fill(0);
        this.buckets.set(index, found);
      }
      values = found;
      this.lastIndex = index;
      this.lastValues = found;
    }
    values[slot]! += delta;
    if (delta < 0 && values.every((v) => v === 0)) this.dropBucket(index);
    else if (this.buckets.size > this.maxBuckets) this.coarsen();
  }

  /** Counters of the bucket holding `ts`, or undefined when that bucket is empty. */
  at(ts: number): readonly number[] | undefined {
    return this.buckets.get(Math.floor(ts / this.width));
  }

  /** Non-empty buckets in time order. */
  points(): BucketPoint[] {
    return [...this.buckets.keys()]
      .sort((a, b) => a - b)
      .map((index) => ({ at: index * this.width, values: this.buckets.get(index)! }));
  }

  merge(other: BucketSeries): void {
    if (other.baseWidthMs !== this.baseWidthMs || other.arity !== this.arity) {
      throw new Error('cannot merge bucket series of different base width or arity');
    }
    while (this.width < other.width) this.halveResolution();
    const shift = this.width / other.width; // a power of two >= 1
    for (const [otherIndex, values] of other.buckets) {
      const index = Math.floor(otherIndex / shift);
      const target = this.buckets.get(index);
      if (target) for (let v = 0; v < this.arity; v++) target[v]! += values[v]!;
      else this.buckets.set(index, [...values]);
    }
    this.forgetLast();
    this.coarsen();
  }

  toJSON(): BucketSeriesJSON {
    return {
      baseWidthMs: this.baseWidthMs,
      widthMs: this.width,
      arity: this.arity,
      maxBuckets: this.maxBuckets,
      runs: encodeRuns(this.buckets, this.arity),
    };
  }

  private dropBucket(index: number): void {
    this.buckets.delete(index);
    this.forgetLast();
  }

  private forgetLast(): void {
    this.lastIndex = Number.NaN;
    this.lastValues = [];
  }

  private coarsen(): void {
    while (this.buckets.size > this.maxBuckets) this.halveResolution();
  }

  /** Doubles the bucket width, adding each pair of neighbouring buckets. */
  private halveResolution(): void {
    const coarser = new Map<number, number[]>();
    for (const [index, values] of this.buckets) {
      const target = coarser.get(Math.floor(index / 2));
      if (target) for (let v = 0; v < this.arity; v++) target[v]! += values[v]!;
      else coarser.set(Math.floor(index / 2), [...values]);
    }
    this.buckets = coarser;
    this.width *= 2;
    this.forgetLast();
  }
}
