import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { DedupClaims, type DedupId } from './dedup.js';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true });
const WINDOW = 60_000;
/** The start of the current bucket (expiry times are real ones), so tests can step within and across buckets. */
const T0 = Math.floor(Date.now() / WINDOW) * WINDOW;
let prefix: string;
let dedup: DedupClaims;

const ids = (service: string, ...eventIds: string[]): DedupId[] =>
  eventIds.map((eventId) => ({ service, eventId }));

beforeEach(() => {
  prefix = `dedup-test-${randomBytes(4).toString('hex')}`;
  dedup = new DedupClaims(redis, prefix, WINDOW);
});

afterAll(async () => {
  const keys = await redis.keys('dedup-test-*');
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

describe('DedupClaims', () => {
  it('claims free ids and names the holder of taken ones', async () => {
    expect(await dedup.claim(ids('pay', 'a', 'b'), 'c1', T0)).toEqual([null, null]);
    expect(await dedup.claim(ids('pay', 'b', 'c'), 'c2', T0 + 10)).toEqual(['c1', null]);
    // Another service's id of the same name is its own.
    expect(await dedup.claim(ids('orders', 'a'), 'c3', T0 + 20)).toEqual([null]);
  });

  it('keeps an id for exactly the window, across a bucket boundary', async () => {
    const at = T0 + WINDOW / 2;
    await dedup.claim(ids('pay', 'x'), 'c1', at);
    expect(await dedup.claim(ids('pay', 'x'), 'c2', at + WINDOW - 1)).toEqual(['c1']);
    expect(await dedup.claim(ids('pay', 'x'), 'c3', at + WINDOW)).toEqual([null]);
    expect(await dedup.claim(ids('pay', 'x'), 'c4', at + WINDOW + 1)).toEqual(['c3']);
  });

  it('drops the bucket two windows back and sets an expiry on the ones it writes', async () => {
    await dedup.claim(ids('pay', 'old'), 'c1', T0);
    const first = `${prefix}:dedup:pay:${T0 / WINDOW}`;
    expect(await redis.exists(first)).toBe(1);
    expect(await redis.pexpiretime(first)).toBe(T0 + 3 * WINDOW);
    await dedup.claim(ids('pay', 'new'), 'c2', T0 + 2 * WINDOW);
    expect(await redis.exists(first)).toBe(0);
  });

  it('answers in request order when services interleave, and past one slice of ids', async () => {
    const many = Array.from({ length: 4_500 }, (_, i) => ({
      service: i % 3 === 0 ? 'orders' : 'pay',
      eventId: `e${i}`,
    }));
    await dedup.claim(
      many.filter((_, i) => i % 2 === 0),
      'even',
      T0,
    );
    const answers = await dedup.claim(many, 'all', T0 + 1);
    expect(answers).toEqual(many.map((_, i) => (i % 2 === 0 ? 'even' : null)));
  });

  it('release frees only the ids the claim still holds', async () => {
    await dedup.claim(ids('pay', 'a', 'b'), 'c1', T0);
    await dedup.takeOver(ids('pay', 'b'), 'c2', T0 + 5);
    await dedup.release(ids('pay', 'a', 'b'), 'c1', T0 + 6);
    expect(await dedup.claim(ids('pay', 'a', 'b'), 'c3', T0 + 7)).toEqual([null, 'c2']);
  });

  it('release reaches a claim made in the previous bucket', async () => {
    await dedup.claim(ids('pay', 'a'), 'c1', T0 + WINDOW - 1);
    await dedup.release(ids('pay', 'a'), 'c1', T0 + WINDOW + 1);
    expect(await dedup.claim(ids('pay', 'a'), 'c2', T0 + WINDOW + 2)).toEqual([null]);
  });

  it('a claim whose name starts like another is not taken for it', async () => {
    await dedup.claim(ids('pay', 'a'), 'c10', T0);
    await dedup.release(ids('pay', 'a'), 'c1', T0 + 1);
    expect(await dedup.claim(ids('pay', 'a'), 'c2', T0 + 2)).toEqual(['c10']);
  });
});
