import { AppError } from '@logsift/jobs';

/**
 * Uploads being received at once, per caller, in this process: one client cannot hold every socket and
 * fill the disk with parallel uploads. Over the cap: 429 `rate_limited`.
 */
export class InFlight {
  private readonly counts = new Map<string, number>();

  constructor(private readonly max: number) {}

  /** Takes a slot for `caller` or throws; call the returned function once done. */
  acquire(caller: string): () => void {
    const n = this.counts.get(caller) ?? 0;
    if (n >= this.max) {
      throw new AppError(
        'rate_limited',
        `at most ${this.max} uploads at once per caller; wait for one to finish`,
        { retryAfter: 1 },
      );
    }
    this.counts.set(caller, n + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.counts.get(caller) ?? 1) - 1;
      if (left <= 0) this.counts.delete(caller);
      else this.counts.set(caller, left);
    };
  }
}
