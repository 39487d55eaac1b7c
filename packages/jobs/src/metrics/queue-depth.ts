import type { Queue } from 'bullmq';
import { Gauge, type Registry } from 'prom-client';

/** The job states reported per queue, as BullMQ names them. */
export const QUEUE_STATES = [
  'waiting',
  'active',
  'delayed',
  'prioritized',
  'waiting-children',
  'failed',
  'completed',
] as const;

type Counts = [queue: string, counts: Record<string, number>][];

/**
 * `logsift_queue_jobs{queue,state}`, read from Redis when scraped (not on a timer), and `logsift_redis_up`
 * (1 when the counts could be read). While Redis is down the counts are left out rather than reported stale.
 */
export function registerQueueDepth(registry: Registry, queues: Record<string, Queue>): void {
  // Both gauges are collected in the same scrape; they share one read of the counts.
  let reading: Promise<Counts | undefined> | undefined;
  const readCounts = () => {
    reading ??= Promise.all(
      Object.entries(queues).map(
        async ([name, q]): Promise<Counts[number]> => [name, await q.getJobCounts(...QUEUE_STATES)],
      ),
    )
      .catch(() => undefined)
      .finally(() => setImmediate(() => (reading = undefined)));
    return reading;
  };
  new Gauge({
    name: 'logsift_redis_up',
    help: '1 when the queue counts could be read from Redis at this scrape, else 0',
    registers: [registry],
    async collect() {
      this.set((await readCounts()) ? 1 : 0);
    },
  });
  new Gauge({
    name: 'logsift_queue_jobs',
    help: 'Jobs per queue and state, read from Redis at scrape time',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const [queue, counts] of (await readCounts()) ?? [])
        for (const state of QUEUE_STATES) this.set({ queue, state }, counts[state] ?? 0);
    },
  });
}
