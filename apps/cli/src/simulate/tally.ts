import { LatencyRecorder } from './latency.js';

/** What a simulation counted; acknowledged = accepted + duplicates (what the server answered 2xx for). */
export class Tally {
  sent = 0;
  accepted = 0;
  duplicates = 0;
  rejected = 0;
  /** Events of batches never acknowledged (the server kept failing, or the connection was lost). */
  failed = 0;
  /** Times a batch was sent again after 429/503 or a network error. */
  retries = 0;
  readonly rejectedByCode: Record<string, number> = {};
  readonly latency = new LatencyRecorder();
  /** The first failure that made a batch fail for good, to show. */
  firstError: string | undefined;

  get acknowledged(): number {
    return this.accepted + this.duplicates;
  }

  answered(
    result: { accepted: number; duplicates: number; rejected: { code: string }[] },
    latencyMs: number,
  ): void {
    this.accepted += result.accepted;
    this.duplicates += result.duplicates;
    this.rejected += result.rejected.length;
    for (const r of result.rejected) this.rejectedByCode[r.code] = (this.rejectedByCode[r.code] ?? 0) + 1;
    this.latency.add(latencyMs);
  }

  fail(events: number, why: string): void {
    this.failed += events;
    this.firstError ??= why;
  }
}
