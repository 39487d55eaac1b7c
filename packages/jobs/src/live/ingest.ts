import { randomBytes } from 'node:crypto';
import type { Store } from '@logsift/db';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import { eventsDuplicate, eventsRejected } from '../metrics/registry.js';
import { type IngestItem, validateBatch } from './batch.js';
import { writeDeadLetters } from './dead-letters.js';
import { DedupClaims, type DedupId } from './dedup.js';
import type { LiveEvent, RejectionCode, Sender } from './event-schema.js';
import { INGEST_JOB_OPTIONS, ingestJobId } from './jobs.js';
import { RateCounter } from './rate.js';
import type { Spool, Transport } from './spool.js';
import { retentionCutoff } from './windows.js';

/** What a sender is told about its request. Acknowledged = accepted + duplicates. */
export interface IngestResult {
  /** New events, durable now and stored shortly. */
  accepted: number;
  /** Events whose event_id was already seen within the dedup window: dropped. */
  duplicates: number;
  rejected: { index: number; code: RejectionCode; reason: string }[];
}

export type ItemOutcome = 'accepted' | 'duplicate' | 'rejected';

export interface AcceptOptions {
  /** Write rejected events as dead letters (default true; a dead-letter replay updates its own rows). */
  deadLetters?: boolean;
}

/** How often the back-pressure gauge re-reads the spool, ms. */
const GAUGE_REFRESH_MS = 250;
/** Before taking over a key held by another process's claim that is not spooled, wait this long, ms. */
const FOREIGN_CLAIM_GRACE_MS = 1_000;
/** Retry-After for a 429 when the spool is over its limit, seconds. */
const BACKLOG_RETRY_AFTER_S = 1;
/** Retry-After when Redis or SQLite cannot be reached, seconds. */
const UNAVAILABLE_RETRY_AFTER_S = 5;
/** Batches per addBulk call when enqueueing spooled batches. */
const ENQUEUE_CHUNK = 500;

export interface LiveIngestDeps {
  store: Store;
  /** The spool file (spool.ts); this process is its writer. */
  spool: Spool;
  config: Config;
  /** A producer connection (fails fast while Redis is down). */
  redis: Redis;
  ingestQueue: Queue;
  onError?: (err: Error, what: string) => void;
}

/**
 * Accepting live events, for every transport: validate, deduplicate, spool durably, enqueue, answer.
 *
 * The order is what makes a 2xx mean durable: the request's event ids are claimed in Redis first, then
 * its events are written to the spool in one transaction, its rejected events to the dead letters, and
 * only then is the sender answered. The ingest job is enqueued after that without being waited for: if
 * Redis loses it, the workers' sweep enqueues the batch again.
 */
export class LiveIngest {
  /** Tags this process's claims, so its own in-flight requests are told apart from crashed ones. */
  private readonly bootId = randomBytes(6).toString('base64url');
  private seq = 0;
  /** Claims of requests being spooled now -> whether their events became durable. */
  private readonly inFlight = new Map<string, Promise<boolean>>();
  private readonly dedup: DedupClaims;
  private pending = 0;
  private pendingReadAt = 0;
  /** Events accepted per second, for /api/stats. */
  readonly acceptedRate = new RateCounter(10);

  constructor(private readonly deps: LiveIngestDeps) {
    this.dedup = new DedupClaims(deps.redis, deps.config.queuePrefix, deps.config.live.dedupWindowMs);
  }

  async accept(
    items: readonly IngestItem[],
    sender: Sender,
    transport: Transport,
    options: AcceptOptions = {},
  ): Promise<IngestResult & { outcomes: () => ItemOutcome[] }> {
    const { config, store, spool } = this.deps;
    if (items.length > config.live.maxEventsPerRequest) {
      throw new AppError(
        'payload_too_large',
        `${items.length} events in one request; at most ${config.live.maxEventsPerRequest}`,
      );
    }
    const now = Date.now();
    this.checkBacklog(now);
    const batch = validateBatch(items, sender, {
      now,
      oldestTs: retentionCutoff(now, config.live.retentionDays),
    });
    const claim = `${this.bootId}.${++this.seq}`;
    let settle: (durable: boolean) => void = () => {};
    this.inFlight.set(claim, new Promise((resolve) => (settle = resolve)));
    let claimed: DedupId[] = [];
    let ids: number[];
    let fresh: LiveEvent[];
    let dropped: number[] = [];
    let step: 'dedup' | 'spool' = 'dedup';
    try {
      const deduped = await this.claimEventIds(batch.events, claim);
      claimed = deduped.claimed;
      fresh = deduped.fresh;
      dropped = deduped.dropped.map((i) => batch.positions[i] as number);
      step = 'spool';
      ids =
        fresh.length > 0
          ? spool.write({ claim, receivedAt: now, caller: sender.caller, transport, events: fresh })
          : [];
      // Acknowledged means on the disk: the flush runs in the thread pool, and requests arriving
      // meanwhile commit and share the disk's flushes.
      if (ids.length > 0) await spool.syncLog();
      settle(true);
    } catch (err) {
      settle(false);
      this.dedup
        .release(claimed, claim)
        .catch((e: Error) => this.deps.onError?.(e, 'releasing claimed event ids'));
      throw unavailable(err, step);
    } finally {
      this.inFlight.delete(claim);
    }
    // The events are durable now, so the request is answered 2xx whatever happens to its dead letters
    // (a 5xx would make the sender resend events already accepted).
    if (options.deadLetters !== false) {
      try {
        writeDeadLetters(store, batch.rejected, { receivedAt: now, caller: sender.caller, transport });
      } catch (err) {
        this.deps.onError?.(err as Error, `keeping ${batch.rejected.length} dead letters`);
      }
    }
    this.pending += fresh.length;
    this.acceptedRate.add(fresh.length, now);
    const duplicates = batch.duplicates.length + dropped.length;
    if (duplicates > 0) eventsDuplicate.inc({ service: sender.caller }, duplicates);
    for (const r of batch.rejected) eventsRejected.inc({ service: sender.caller, code: r.code });
    this.enqueue(ids).catch((e: Error) =>
      this.deps.onError?.(e, 'enqueueing ingest jobs (the sweep retries)'),
    );
    return {
      accepted: fresh.length,
      duplicates: batch.duplicates.length + dropped.length,
      rejected: batch.rejected.map(({ index, code, reason }) => ({ index, code, reason })),
      outcomes: () => {
        const out = new Array<ItemOutcome>(items.length).fill('accepted');
        for (const i of [...batch.duplicates, ...dropped]) out[i] = 'duplicate';
        for (const r of batch.rejected) out[r.index] = 'rejected';
        return out;
      },
    };
  }

  /** Enqueues every batch still holding events (at start-up: jobs Redis may have lost). */
  async resumePending(): Promise<number> {
    const ids = this.deps.spool.pendingBatchIds(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    await this.enqueue(ids);
    return ids.length;
  }

  /** Events accepted and not yet stored, read now. */
  pendingEvents(): number {
    return this.deps.spool.pendingEvents();
  }

  async enqueue(batchIds: readonly number[]): Promise<void> {
    await enqueueBatches(this.deps.ingestQueue, this.deps.spool.id, batchIds);
  }

  /** 429 while more accepted events wait to be stored than the limit allows. */
  private checkBacklog(now: number): void {
    if (now - this.pendingReadAt >= GAUGE_REFRESH_MS) {
      this.pending = this.deps.spool.pendingEvents();
      this.pendingReadAt = now;
    }
    const limit = this.deps.config.live.maxPendingEvents;
    if (this.pending >= limit) {
      throw new AppError(
        'rate_limited',
        `${this.pending} accepted events are waiting to be stored (limit ${limit}); retry after ${BACKLOG_RETRY_AFTER_S} s`,
        { retryAfter: BACKLOG_RETRY_AFTER_S },
      );
    }
  }

  /**
   * Claims the events' ids; returns the events to spool, the duplicates dropped and the ids now held.
   * A key held by a claim that never reached the spool is taken over: its request failed or crashed.
   */
  private async claimEventIds(
    events: LiveEvent[],
    claim: string,
  ): Promise<{ fresh: LiveEvent[]; dropped: number[]; claimed: DedupId[] }> {
    const keyed: number[] = [];
    const ids: DedupId[] = [];
    events.forEach((e, i) => {
      if (e.eventId === null) return;
      keyed.push(i);
      ids.push({ service: e.service, eventId: e.eventId });
    });
    const holders = await this.dedup.claim(ids, claim);
    const claimed: DedupId[] = [];
    const held: { id: DedupId; index: number; holder: string }[] = [];
    holders.forEach((holder, k) => {
      if (holder === null) claimed.push(ids[k] as DedupId);
      else held.push({ id: ids[k] as DedupId, index: keyed[k] as number, holder });
    });
    if (held.length === 0) return { fresh: events, dropped: [], claimed };

    const durable = await this.durableHolders(held.map((h) => h.holder));
    const orphans = held.filter((h) => !durable.has(h.holder)).map((h) => h.id);
    await this.dedup.takeOver(orphans, claim);
    claimed.push(...orphans);
    const dropped = held.filter((h) => durable.has(h.holder)).map((h) => h.index);
    const drop = new Set(dropped);
    return { fresh: events.filter((_, i) => !drop.has(i)), dropped, claimed };
  }

  /** Which holders' events are durable: spooled, or (for our own requests in flight) once they finish. */
  private async durableHolders(holders: string[]): Promise<Set<string>> {
    const unique = [...new Set(holders)];
    const durable = new Set<string>();
    const ours = `${this.bootId}.`;
    const unknown: string[] = [];
    for (const h of unique) {
      const running = this.inFlight.get(h);
      if (running) {
        if (await running) durable.add(h);
      } else unknown.push(h);
    }
    const { spool } = this.deps;
    let spooled = spool.durableClaims(unknown);
    // Another process may be between claiming and spooling: give it a moment before taking over.
    const foreign = unknown.filter((h) => !spooled.has(h) && !h.startsWith(ours));
    if (foreign.length > 0) {
      await new Promise((r) => setTimeout(r, FOREIGN_CLAIM_GRACE_MS));
      spooled = new Set([...spooled, ...spool.durableClaims(foreign)]);
    }
    for (const h of spooled) durable.add(h);
    return durable;
  }
}

/** Adds one ingest job per batch; ids are deterministic, so a batch already queued is not added again. */
export async function enqueueBatches(
  queue: Queue,
  spoolId: string,
  batchIds: readonly number[],
): Promise<void> {
  for (let i = 0; i < batchIds.length; i += ENQUEUE_CHUNK) {
    await queue.addBulk(
      batchIds.slice(i, i + ENQUEUE_CHUNK).map((batchId) => ({
        name: 'ingest',
        data: { spool: spoolId, batchId },
        opts: { ...INGEST_JOB_OPTIONS, jobId: ingestJobId(spoolId, batchId) },
      })),
    );
  }
}

/**
 * Redis failing the dedup step, or SQLite failing the spool write: 503 with Retry-After (507 when the
 * disk is full). Nothing of the request was accepted. Anything else is a bug and stays a 500.
 */
function unavailable(err: unknown, step: 'dedup' | 'spool'): unknown {
  if (err instanceof AppError) return err;
  const e = err as Error & { code?: unknown };
  const sqlite = typeof e.code === 'string' && e.code.startsWith('SQLITE');
  if (e.code === 'SQLITE_FULL') {
    return new AppError('storage_full', 'the spool disk is full; events were not accepted', { cause: err });
  }
  if (step === 'spool' && !sqlite) return err;
  const what = sqlite ? 'the spool (SQLite)' : 'the dedup store (Redis)';
  return new AppError('unavailable', `${what} could not accept the events (${e.message}); retry shortly`, {
    cause: err,
    retryAfter: UNAVAILABLE_RETRY_AFTER_S,
  });
}
