import { QuantileSketch, type QuantileSketchJSON } from './quantile-sketch.js';

export interface LatencySummaryJSON {
  count: number;
  /** Sum of latencies, ms. */
  sum: number;
  /** null while empty. */
  min: number | null;
  max: number | null;
  /** Time of the slowest request, epoch ms UTC, when it had one. */
  maxAt: number | null;
  sketch: QuantileSketchJSON;
}

export interface LatencyReport {
  count: number;
  /** All in ms. */
  mean: number;
  min: number;
  max: number;
  maxAt: number | null;
  p50: number;
  p95: number;
  p99: number;
}

/**
 * Latencies (ms) of one path or of all requests: exact count, sum, min and max, and a quantile sketch for
 * p50/p95/p99 within its relative accuracy. `remove` undoes count, sum and sketch exactly; min and max
 * cannot be undone and stay as bounds (at most the true min, at least the true max).
 */
export class LatencySummary {
  count = 0;
  sum = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  maxAt: number | null = null;
  readonly sketch: QuantileSketch;

  constructor(relativeAccuracy?: number) {
    this.sketch = new QuantileSketch(relativeAccuracy);
  }

  static fromJSON(json: LatencySummaryJSON): LatencySummary {
    const summary = new LatencySummary(json.sketch.relativeAccuracy);
    summary.count = json.count;
    summary.sum = json.sum;
    summary.min = json.min ?? Number.POSITIVE_INFINITY;
    summary.max = json.max ?? Number.NEGATIVE_INFINITY;
    summary.maxAt = json.maxAt;
    summary.sketch.merge(QuantileSketch.fromJSON(json.sketch));
    return summary;
  }

  add(latencyMs: number, ts: number | undefined): void {
    this.count++;
    this.sum += latencyMs;
    if (latencyMs < this.min) this.min = latencyMs;
    if (latencyMs > this.max) {
      this.max = latencyMs;
      this.maxAt = ts ?? null;
    }
    this.sketch.add(latencyMs);
  }

  remove(latencyMs: number): void {
    this.count--;
    this.sum -= latencyMs;
    this.sketch.remove(latencyMs);
  }

  merge(other: LatencySummary): void {
    this.count += other.count;
    this.sum += other.sum;
    if (other.min < this.min) this.min = other.min;
    // On equal maxima the earlier partial (chunk order) keeps its time, as a single pass would.
    if (other.max > this.max) {
      this.max = other.max;
      this.maxAt = other.maxAt;
    }
    this.sketch.merge(other.sketch);
  }

  /** The q-quantile, clamped to [min, max], which can only bring the estimate closer to the truth. */
  quantile(q: number): number {
    return Math.min(this.max, Math.max(this.min, this.sketch.quantile(q)));
  }

  report(): LatencyReport {
    return {
      count: this.count,
      mean: this.count > 0 ? this.sum / this.count : Number.NaN,
      min: this.min,
      max: this.max,
      maxAt: this.maxAt,
      p50: this.quantile(0.5),
      p95: this.quantile(0.95),
      p99: this.quantile(0.99),
    };
  }

  toJSON(): LatencySummaryJSON {
    const empty = this.count === 0 && this.min === Number.POSITIVE_INFINITY;
    return {
      count: this.count,
      sum: this.sum,
      min: empty ? null : this.min,
      max: empty ? null : this.max,
      maxAt: this.maxAt,
      sketch: this.sketch.toJSON(),
    };
  }
}
