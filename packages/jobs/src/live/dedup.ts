import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * Event-id deduplication in Redis: one key per (service, event_id), living for the dedup window.
 *
 * A request claims its keys with `SET key <claim> PX <window> NX GET`, run for all its keys by one small
 * Lua script (a pipeline of single SETs costs several times more client CPU per key): the answer per key
 * is null when the key was free (claimed now) or the claim already holding it. The claim is the
 * request's spool claim (see spool.ts), so a held key can be checked against SQLite: if no spooled batch
 * carries that claim, the request that set it never got its events durable (it crashed or failed between
 * claiming and spooling), and the key is taken over instead of dropping the event. That is what makes a
 * retry after a crash safe: at-least-once in, effectively-once stored.
 *
 * Redis restarts: with AOF the keys survive. With `appendfsync everysec` the last second of claims can be
 * lost in a crash; an event acknowledged in that second and sent again within the window would then be
 * stored twice. `appendfsync always` closes that gap.
 */
export class DedupClaims {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlMs: number,
  ) {}

  key(service: string, eventId: string): string {
    return `${this.prefix}:dedup:${service}:${eventId}`;
  }

  /**
   * For each key: null when `claim` now holds it, else the claim that already held it. All of a
   * request's keys are claimed by one script call, atomically: a request that finds a key held by a
   * request still in flight waits for that one, and since the holder claimed all its keys before this
   * request claimed any, it never waits back (no deadlock). At the request limit (INGEST_MAX_EVENTS,
   * default 20,000 keys) one call holds Redis for some 10 ms.
   */
  async claim(keys: readonly string[], claim: string): Promise<(string | null)[]> {
    if (keys.length === 0) return [];
    const ttl = String(this.ttlMs);
    const answers = (await this.redis
      .evalsha(claimScriptSha, keys.length, ...keys, claim, ttl)
      .catch((err: Error) => {
        if (!err.message.includes('NOSCRIPT')) throw err;
        return this.redis.eval(CLAIM_SCRIPT, keys.length, ...keys, claim, ttl);
      })) as (string | null)[];
    // Lua false comes back as null; nothing else is falsy here.
    return answers.map((v) => (typeof v === 'string' ? v : null));
  }

  /** Makes `claim` the holder of keys whose previous holder never spooled its events. */
  async takeOver(keys: readonly string[], claim: string): Promise<void> {
    if (keys.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const key of keys) pipeline.set(key, claim, 'PX', this.ttlMs);
    await pipeline.exec();
  }

  /** Frees the keys `claim` holds (its request failed before its events were durable). */
  async release(keys: readonly string[], claim: string): Promise<void> {
    if (keys.length === 0) return;
    await this.redis.eval(RELEASE_SCRIPT, keys.length, ...keys, claim);
  }
}

const CLAIM_SCRIPT = `
local out = {}
for i, key in ipairs(KEYS) do
  out[i] = redis.call('SET', key, ARGV[1], 'PX', ARGV[2], 'NX', 'GET') or false
end
return out`;
const claimScriptSha = createHash('sha1').update(CLAIM_SCRIPT).digest('hex');

/** Deletes each key only while it still holds our claim, so a later holder's key is never removed. */
const RELEASE_SCRIPT = `
for _, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then redis.call('DEL', key) end
end
return 0`;
