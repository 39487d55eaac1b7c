import { checkEvent } from '@logsift/jobs';
import { describe, expect, it } from 'vitest';
import { EventFactory, type SimulatedEvent } from './events.js';
import type { BatchSender } from './http-sender.js';
import { LatencyRecorder } from './latency.js';
import { type Clock, rateAt, runSchedule, type Schedule } from './run.js';

const services = [
  { name: 'payments', weight: 3 },
  { name: 'orders', weight: 1 },
];
const mix = { duplicates: 0.05, outOfOrder: 0.1, maxLatenessMs: 30_000, invalid: 0.04 };
const NOW = Date.UTC(2024, 4, 1, 12);

describe('EventFactory', () => {
  it('makes the same events from the same seed', () => {
    const a = new EventFactory(services, mix, 'run1', 7);
    const b = new EventFactory(services, mix, 'run1', 7);
    for (let i = 0; i < 500; i++) expect(a.next(NOW)).toEqual(b.next(NOW));
  });

  it('mixes kinds at the shares asked for, and only the invalid ones fail the server schema', () => {
    const factory = new EventFactory(services, mix, 'run2', 3);
    const events: SimulatedEvent[] = Array.from({ length: 20_000 }, () => factory.next(NOW));
    const share = (kind: SimulatedEvent['kind']) =>
      events.filter((e) => e.kind === kind).length / events.length;
    expect(share('duplicate')).toBeGreaterThan(0.04);
    expect(share('duplicate')).toBeLessThan(0.06);
    expect(share('invalid')).toBeGreaterThan(0.03);
    expect(share('invalid')).toBeLessThan(0.05);
    expect(share('late')).toBeGreaterThan(0.07);
    expect(events.filter((e) => e.service === 'payments').length / events.length).toBeGreaterThan(0.72);
    const sender = (service: string) => ({ caller: service, admin: false });
    for (const e of events) {
      const result = checkEvent(e.body, sender(e.service), { now: NOW, oldestTs: 0 });
      expect('code' in result, `${e.kind} ${JSON.stringify(e.body)}`).toBe(e.kind === 'invalid');
      if (e.kind === 'late') expect((result as { ts: number }).ts).toBeLessThan(NOW - 999);
    }
    // A duplicate repeats an event already made, id and all.
    const ids = new Set<unknown>();
    for (const e of events) {
      if (e.kind === 'duplicate') expect(ids.has(e.body.event_id)).toBe(true);
      else ids.add(e.body.event_id);
    }
  });
});

describe('LatencyRecorder', () => {
  it('gives nearest-rank percentiles of every sample', () => {
    const r = new LatencyRecorder();
    for (let i = 100; i >= 1; i--) r.add(i);
    expect(r.percentiles([50, 90, 99, 100])).toEqual({ p50: 50, p90: 90, p99: 99, p100: 100 });
    expect(r.max()).toBe(100);
    expect(new LatencyRecorder().percentiles([50])).toEqual({ p50: null });
  });
});

describe('runSchedule', () => {
  const schedule: Schedule = {
    rate: 2_000,
    durationMs: 500,
    burst: { factor: 1, everyMs: 10_000, forMs: 2_000 },
    batch: 50,
    maxDelayMs: 20,
    concurrency: 4,
  };

  it('multiplies the rate during bursts only', () => {
    const s = { ...schedule, burst: { factor: 5, everyMs: 10_000, forMs: 2_000 } };
    expect([rateAt(s, 0), rateAt(s, 1_999), rateAt(s, 2_000), rateAt(s, 10_500)]).toEqual([
      10_000, 10_000, 2_000, 10_000,
    ]);
  });

  it('sends what it generates, in batches of one service, never more at once than allowed', async () => {
    const batches: { service: string; size: number }[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const sender: BatchSender = {
      async send(service, events) {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        expect(new Set(events.map((e) => e.service))).toEqual(new Set([service]));
        batches.push({ service, size: events.length });
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
      },
      async close() {},
    };
    const run = await runSchedule(schedule, new EventFactory(services, mix, 'run3', 1), sender);
    const sent = batches.reduce((n, b) => n + b.size, 0);
    const generated = Object.values(run.generated).reduce((n, v) => n + v, 0);
    expect(sent).toBe(generated);
    // 2,000/s for half a second, however late the ticks come (rounding may lose the last one).
    expect(generated).toBeGreaterThanOrEqual(999);
    expect(generated).toBeLessThanOrEqual(1_000);
    expect(Math.max(...batches.map((b) => b.size))).toBeLessThanOrEqual(50);
    expect(maxInFlight).toBeLessThanOrEqual(4);
  });

  it('ends on time and makes every event due when the ticks come late, whatever the clock reads', async () => {
    // A start where (start + 500) - start falls short of 500 in floating point, and ticks 130 ms apart.
    let time = 7970.640659963113;
    let sleeps = 0;
    const clock: Clock = {
      now: () => time,
      async sleep(ms) {
        if (++sleeps > 1_000) throw new Error('the schedule did not end');
        time += ms * 13;
      },
    };
    const sent: number[] = [];
    const sender: BatchSender = {
      async send(_service, events) {
        sent.push(events.length);
      },
      async close() {},
    };
    const run = await runSchedule(schedule, new EventFactory(services, mix, 'run4', 1), sender, clock);
    const generated = Object.values(run.generated).reduce((n, v) => n + v, 0);
    expect(generated).toBeGreaterThanOrEqual(999);
    expect(generated).toBeLessThanOrEqual(1_000);
    expect(sent.reduce((n, v) => n + v, 0)).toBe(generated);
    expect(sleeps).toBeLessThan(10);
  });
});
