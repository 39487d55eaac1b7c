import type { Redis } from 'ioredis';

/** One event id to deduplicate, in its service's namespace. */
export interface DedupId {
  service: string;
  eventId: string;
}

/**
 * Event-id deduplication in Redis, in hashes bucketed by time: per service, one hash per dedup window
 * (`<prefix>:dedup:<service>:<floor(now / window)>`), one field per event id, whose value is the claim
 * that holds it and when it was claimed (`<claim> <epoch ms>`). An id is a duplicate while the current
 * bucket, or the previous one less than a window ago, holds it, so the window is exact; older buckets are
 * dropped. A request's ids are checked and claimed by one Lua call (two HMGETs and one HSET per service):
 * a field costs Redis about a third less memory than a key with its own expiry and half the CPU.
 *
 * The answer per id is null when it was free (claimed now) or the claim already holding it. The claim is
 * the request's spool claim (see spool.ts), so a held id can be checked against SQLite: if no spooled
 * batch carries that claim, the request that set it never got its events durable (it crashed or failed
 * between claiming and spooling), and the id is taken over instead of dropping the event. That is what
 * makes a retry after a crash safe: at-least-once in, effectively-once stored.
 *
 * Old buckets: each call UNLINKs its service's bucket from two windows ago (freed off Redis's main thread
 * when large), and every bucket also expires a window after it stops being read, for services that went
 * quiet. Run Redis with `lazyfree-lazy-expire yes` so that expiry does not free a large hash inline.
 *
 * Redis restarts: with AOF the buckets survive. With `appendfsync everysec` the last second of claims can
 * be lost in a crash; an event acknowledged in that second and sent again within the window would then be
 * stored twice. `appendfsync always` closes that gap.
 */
export class DedupClaims {
  private readonly redis: Redis & DedupCommands;

  constructor(
    redis: Redis,
    private readonly prefix: string,
    private readonly windowMs: number,
  ) {
    // ioredis runs a defined command by EVALSHA, loading the script on NOSCRIPT (a restarted Redis).
    if (!('logsiftDedupClaim' in redis)) {
      redis.defineCommand('logsiftDedupClaim', { lua: CLAIM });
      redis.defineCommand('logsiftDedupRelease', { lua: RELEASE });
    }
    this.redis = redis as Redis & DedupCommands;
  }

  /**
   * For each id: null when `claim` now holds it, else the claim that already held it. All of a request's
   * ids are claimed by one script call, atomically: a request that finds an id held by a request still in
   * flight waits for that one, and since the holder claimed all its ids before this request claimed any,
   * it never waits back (no deadlock).
   */
  async claim(ids: readonly DedupId[], claim: string, now = Date.now()): Promise<(string | null)[]> {
    if (ids.length === 0) return [];
    const groups = groupByService(ids);
    const keys: string[] = [];
    const args: string[] = [claim, String(now), String(this.windowMs), String(this.expireAt(now))];
    for (const [service, members] of groups) {
      keys.push(...this.bucketKeys(service, now));
      args.push(String(members.length));
      for (const i of members) args.push((ids[i] as DedupId).eventId);
    }
    const answers = await this.redis.logsiftDedupClaim(keys.length, ...keys, ...args);
    const out = new Array<string | null>(ids.length);
    let k = 0;
    for (const members of groups.values()) {
      // Lua false comes back as null; nothing else is falsy here.
      for (const i of members) {
        const v = answers[k++];
        out[i] = typeof v === 'string' ? v : null;
      }
    }
    return out;
  }

  /** Makes `claim` the holder of ids whose previous holder never spooled its events. */
  async takeOver(ids: readonly DedupId[], claim: string, now = Date.now()): Promise<void> {
    if (ids.length === 0) return;
    const value = `${claim} ${now}`;
    const pipeline = this.redis.pipeline();
    for (const [service, members] of groupByService(ids)) {
      const [current] = this.bucketKeys(service, now);
      pipeline.hset(current, ...members.flatMap((i) => [(ids[i] as DedupId).eventId, value]));
      pipeline.pexpireat(current, this.expireAt(now));
    }
    await pipeline.exec();
  }

  /** Frees the ids `claim` holds (its request failed before its events were durable). */
  async release(ids: readonly DedupId[], claim: string, now = Date.now()): Promise<void> {
    if (ids.length === 0) return;
    const keys: string[] = [];
    const args: string[] = [`${claim} `];
    for (const [service, members] of groupByService(ids)) {
      const [current, previous] = this.bucketKeys(service, now);
      keys.push(current, previous);
      args.push(String(members.length));
      for (const i of members) args.push((ids[i] as DedupId).eventId);
    }
    await this.redis.logsiftDedupRelease(keys.length, ...keys, ...args);
  }

  /** The service's current bucket, the previous one, and the one before that (to drop). */
  private bucketKeys(service: string, now: number): [string, string, string] {
    const bucket = Math.floor(now / this.windowMs);
    const base = `${this.prefix}:dedup:${service}:`;
    return [`${base}${bucket}`, `${base}${bucket - 1}`, `${base}${bucket - 2}`];
  }

  /** The current bucket is read until the end of the next one; it expires a window after that. */
  private expireAt(now: number): number {
    return (Math.floor(now / this.windowMs) + 3) * this.windowMs;
  }
}

/** Positions of the ids, by service, in first-seen order. */
function groupByService(ids: readonly DedupId[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  ids.forEach((id, i) => {
    const members = groups.get(id.service);
    if (members) members.push(i);
    else groups.set(id.service, [i]);
  });
  return groups;
}

/** The scripts below, as ioredis commands: the key count first, then the keys and the arguments. */
interface DedupCommands {
  logsiftDedupClaim(...keyCountKeysAndArgs: (string | number)[]): Promise<(string | null)[]>;
  logsiftDedupRelease(...keyCountKeysAndArgs: (string | number)[]): Promise<number>;
}

/**
 * KEYS: per service, its current, previous and oldest bucket. ARGV: claim, now, window, expire-at, then per
 * service the number of its ids and the ids. Returns, per id in that order, the holding claim or false
 * when this claim took it. Ids are handled in slices: Lua's unpack takes at most some 8,000 values.
 */
const CLAIM = `
local claim, now, window, expireAt = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
local value = claim .. ' ' .. ARGV[2]
local SLICE = 2000
local out = {}
local a = 5
for s = 1, #KEYS, 3 do
  local current, previous, oldest = KEYS[s], KEYS[s + 1], KEYS[s + 2]
  if redis.call('EXISTS', oldest) == 1 then redis.call('UNLINK', oldest) end
  local n = tonumber(ARGV[a])
  local first = a + 1
  a = first + n
  for from = first, a - 1, SLICE do
    local to = math.min(from + SLICE - 1, a - 1)
    local base = #out - from + 1
    local held = redis.call('HMGET', current, unpack(ARGV, from, to))
    local missing = {}
    for i = from, to do
      local v = held[i - from + 1]
      if v then out[base + i] = string.match(v, '^%S+') else out[base + i] = false; missing[#missing + 1] = i end
    end
    if #missing > 0 then
      local ids = {}
      for j, i in ipairs(missing) do ids[j] = ARGV[i] end
      local before = redis.call('HMGET', previous, unpack(ids))
      local set = {}
      for j, i in ipairs(missing) do
        local v = before[j]
        local holder, at
        if v then holder, at = string.match(v, '^(%S+) (%d+)$') end
        if holder and now - tonumber(at) < window then
          out[base + i] = holder
        else
          set[#set + 1] = ids[j]
          set[#set + 1] = value
        end
      end
      if #set > 0 then
        redis.call('HSET', current, unpack(set))
        redis.call('PEXPIREAT', current, expireAt)
      end
    end
  end
end
return out`;

/** Deletes each id only while it still holds our claim, so a later holder's field is never removed. */
const RELEASE = `
local prefix = ARGV[1]
local a = 2
for s = 1, #KEYS, 2 do
  local n = tonumber(ARGV[a])
  for i = a + 1, a + n do
    for k = s, s + 1 do
      local v = redis.call('HGET', KEYS[k], ARGV[i])
      if v and string.sub(v, 1, #prefix) == prefix then redis.call('HDEL', KEYS[k], ARGV[i]) end
    end
  end
  a = a + n + 1
end
return 0`;
