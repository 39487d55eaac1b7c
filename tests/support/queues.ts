/** What the stack's Redis says about its queues: failed jobs, stalled (recovered) jobs. */
import { STAGES } from '@logsift/jobs';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { Stack } from './processes.js';

async function withRedis<T>(stack: Stack, run: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(stack.env.REDIS_URL as string, { maxRetriesPerRequest: 1 });
  try {
    return await run(redis);
  } finally {
    redis.disconnect();
  }
}

/** Jobs of every stage in BullMQ's failed set. */
export function failedJobs(stack: Stack): Promise<number> {
  return withRedis(stack, async (connection) => {
    let n = 0;
    for (const stage of STAGES) {
      const queue = new Queue(stage, { connection, prefix: stack.env.QUEUE_PREFIX as string });
      n += (await queue.getJobCounts('failed')).failed ?? 0;
      await queue.close();
    }
    return n;
  });
}

/** `stalled` events in every stage's event stream: jobs taken back from a dead worker and run again. */
export function stalledEvents(stack: Stack): Promise<number> {
  return withRedis(stack, async (redis) => {
    let n = 0;
    for (const stage of STAGES) {
      const events = await redis.xrange(`${stack.env.QUEUE_PREFIX}:${stage}:events`, '-', '+');
      n += events.filter(([, fields]) => fields[1] === 'stalled').length;
    }
    return n;
  });
}

/** How many times BullMQ started each job of a stage (`ats`): above 1 when a job was put back and rerun. */
export function jobStarts(stack: Stack, stage: string): Promise<number[]> {
  return withRedis(stack, async (redis) => {
    const prefix = `${stack.env.QUEUE_PREFIX}:${stage}:`;
    // Job hashes are `<prefix>:<stage>:<job id>`; job ids look like `<upload>-a<attempt>-<stage>-<part>`.
    const jobKey = new RegExp(`^${prefix}[^:]+-a\\d+-${stage}-\\d+$`);
    const keys = (await redis.keys(`${prefix}*`)).filter((k) => jobKey.test(k));
    const starts: number[] = [];
    for (const key of keys) starts.push(Number((await redis.hget(key, 'ats')) ?? 0));
    return starts;
  });
}
