import type { EventFactory, SimulatedEvent } from './events.js';
import type { BatchSender } from './http-sender.js';

export interface Burst {
  /** Rate multiplier during a burst (1: no bursts). */
  factor: number;
  everyMs: number;
  forMs: number;
}

export interface Schedule {
  /** Events per second outside bursts. */
  rate: number;
  durationMs: number;
  burst: Burst;
  /** Events per request (HTTP) or per write (TCP). */
  batch: number;
  /** A batch not yet full leaves after this long, ms. */
  maxDelayMs: number;
  /** Batches in flight at once. */
  concurrency: number;
}

/** Timer step of the schedule, ms. */
const TICK_MS = 10;

/** Where the schedule reads the time and waits; a test can drive it. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};

/** Events per second at `elapsed` ms: `rate`, times `burst.factor` during the first `forMs` of each period. */
export function rateAt(s: Schedule, elapsed: number): number {
  const inBurst = s.burst.factor !== 1 && elapsed % s.burst.everyMs < s.burst.forMs;
  return inBurst ? s.rate * s.burst.factor : s.rate;
}

/**
 * Generates events on schedule for `durationMs` and sends them in per-service batches, at most
 * `concurrency` batches in flight; resolves when every batch has been answered. Returns how many events
 * were generated of each kind, and the most events that waited for a free slot at once.
 */
export async function runSchedule(
  s: Schedule,
  factory: EventFactory,
  sender: BatchSender,
  clock: Clock = realClock,
): Promise<{ generated: Record<SimulatedEvent['kind'], number>; maxQueued: number; elapsedMs: number }> {
  const generated = { new: 0, duplicate: 0, late: 0, invalid: 0 };
  const buffers = new Map<string, { events: SimulatedEvent[]; since: number }>();
  const inFlight = new Set<Promise<void>>();
  let due = 0;
  let made = 0;
  let maxQueued = 0;
  const start = clock.now();
  let last = 0;
  const flush = (force: boolean) => {
    const now = clock.now();
    let queued = 0;
    for (const [service, buffer] of buffers) {
      while (
        buffer.events.length > 0 &&
        inFlight.size < s.concurrency &&
        (force || buffer.events.length >= s.batch || now - buffer.since >= s.maxDelayMs)
      ) {
        const batch = buffer.events.splice(0, s.batch);
        buffer.since = now;
        const p = sender.send(service, batch).finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
      queued += buffer.events.length;
    }
    maxQueued = Math.max(maxQueued, queued);
    return queued;
  };
  for (;;) {
    const now = clock.now();
    // A late tick still makes the events due up to the end of the run, no more: a lagging event loop
    // sends the schedule's count, in fewer, larger steps. Capping the elapsed time (not the clock
    // reading) makes it reach durationMs exactly, so the loop ends.
    const elapsed = Math.min(now - start, s.durationMs);
    due += (rateAt(s, elapsed) * (elapsed - last)) / 1000;
    last = elapsed;
    const wall = Date.now();
    for (; made < Math.floor(due); made++) {
      const e = factory.next(wall);
      generated[e.kind]++;
      let buffer = buffers.get(e.service);
      if (!buffer) {
        buffer = { events: [], since: now };
        buffers.set(e.service, buffer);
      }
      if (buffer.events.length === 0) buffer.since = now;
      buffer.events.push(e);
    }
    if (elapsed >= s.durationMs) break;
    flush(false);
    await clock.sleep(TICK_MS);
  }
  const elapsedMs = clock.now() - start;
  // Whatever is left leaves now, as slots free up.
  while (flush(true) > 0 || inFlight.size > 0) await Promise.race([...inFlight, clock.sleep(TICK_MS)]);
  return { generated, maxQueued, elapsedMs };
}
