/** Events per second over the last `seconds` whole seconds, counted in one-second buckets. */
export class RateCounter {
  private readonly buckets: number[];
  private readonly starts: number[];

  constructor(private readonly seconds = 10) {
    this.buckets = new Array<number>(seconds + 1).fill(0);
    this.starts = new Array<number>(seconds + 1).fill(-1);
  }

  add(n: number, now = Date.now()): void {
    const second = Math.floor(now / 1000);
    const i = second % this.buckets.length;
    if (this.starts[i] !== second) {
      this.starts[i] = second;
      this.buckets[i] = 0;
    }
    this.buckets[i] = (this.buckets[i] as number) + n;
  }

  /** Mean rate over the `seconds` whole seconds before the current one. */
  perSecond(now = Date.now()): number {
    const current = Math.floor(now / 1000);
    let sum = 0;
    this.starts.forEach((second, i) => {
      if (second < current && second >= current - this.seconds) sum += this.buckets[i] as number;
    });
    return sum / this.seconds;
  }
}
