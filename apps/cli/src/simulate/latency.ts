/** Acknowledgement latencies, in milliseconds, with exact percentiles (every sample is kept). */
export class LatencyRecorder {
  private samples = new Float64Array(1024);
  private size = 0;

  add(ms: number): void {
    if (this.size === this.samples.length) {
      const bigger = new Float64Array(this.samples.length * 2);
      bigger.set(this.samples);
      this.samples = bigger;
    }
    this.samples[this.size++] = ms;
  }

  get count(): number {
    return this.size;
  }

  /** Percentiles by the nearest-rank method: p50 is the smallest sample at or above half of them. */
  percentiles<P extends number>(ps: readonly P[]): Record<`p${P}`, number | null> {
    const sorted = this.samples.slice(0, this.size).sort();
    return Object.fromEntries(
      ps.map((p) => {
        if (sorted.length === 0) return [`p${p}`, null];
        const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
        return [`p${p}`, sorted[rank - 1] as number];
      }),
    ) as Record<`p${P}`, number | null>;
  }

  max(): number | null {
    let m: number | null = null;
    for (let i = 0; i < this.size; i++) m = Math.max(m ?? 0, this.samples[i] as number);
    return m;
  }
}
