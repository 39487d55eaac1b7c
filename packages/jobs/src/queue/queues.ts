import { FlowProducer, Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { LIVE_QUEUES, type LiveQueue, STAGES, type Stage } from '../config.js';
import { createRedis } from './connection.js';

/**
 * The producer side of the stage queues, as the API uses them: one connection for adding jobs and
 * reading counts (fails fast while Redis is down), plus a blocking one for QueueEvents (waiting on reports).
 */
export class QueueSet {
  readonly connection: Redis;
  readonly queues: Record<Stage, Queue>;
  /** The live-event queues (ingest, retention). */
  readonly live: Record<LiveQueue, Queue>;
  readonly flows: FlowProducer;
  private readonly events = new Map<Stage, { events: QueueEvents; connection: Redis }>();

  constructor(
    private readonly redisUrl: string,
    readonly prefix: string,
    private readonly onError: (err: Error) => void = () => {},
  ) {
    this.connection = createRedis(redisUrl, 'producer');
    this.connection.on('error', onError);
    const opts = { connection: this.connection, prefix };
    this.queues = Object.fromEntries(STAGES.map((s) => [s, new Queue(s, opts)])) as Record<Stage, Queue>;
    this.live = Object.fromEntries(LIVE_QUEUES.map((q) => [q, new Queue(q, opts)])) as Record<
      LiveQueue,
      Queue
    >;
    for (const q of [...Object.values(this.queues), ...Object.values(this.live)]) q.on('error', onError);
    this.flows = new FlowProducer(opts);
    this.flows.on('error', onError);
  }

  /** Events of the report queue (waiting on reports). */
  reportEvents(): QueueEvents {
    return this.stageEvents('report');
  }

  /** Events of one stage queue, created on first use (each holds a blocking connection of its own). */
  stageEvents(stage: Stage): QueueEvents {
    let entry = this.events.get(stage);
    if (!entry) {
      const connection = createRedis(this.redisUrl, 'worker');
      connection.on('error', this.onError);
      const events = new QueueEvents(stage, { connection, prefix: this.prefix });
      events.on('error', this.onError);
      entry = { events, connection };
      this.events.set(stage, entry);
    }
    return entry.events;
  }

  async close(): Promise<void> {
    await Promise.allSettled([
      ...[...Object.values(this.queues), ...Object.values(this.live)].map((q) => q.close()),
      this.flows.close(),
      ...[...this.events.values()].map((e) => e.events.close()),
    ]);
    this.connection.disconnect();
    for (const e of this.events.values()) e.connection.disconnect();
  }
}
