import { BucketSeries, type BucketSeriesJSON } from './bucket-series.js';
import { CappedGroups } from './capped-groups.js';
import { isFailure, isSuccess, MISSING_KEY, type StatsEntry } from './classify.js';
import { bump, countsToRecord, mergeCounts } from './counter-map.js';
import { HeavyHitters, type HeavyHittersJSON } from './heavy-hitters.js';
import { LatencySummary, type LatencySummaryJSON } from './latency.js';
import { type ChunkStatsOptions, type ResolvedChunkStatsOptions, resolveOptions } from './options.js';
import { Reservoir, type ReservoirJSON } from './reservoir.js';
import { ServiceSuccess, type ServiceSuccessJSON } from './success-rate.js';

/** What the reservoir keeps of a sampled entry (message and path cut to `maxKeyLength`). */
export type SampledEntry = StatsEntry;

export interface ChunkStatsJSON {
  version: 1;
  options: ResolvedChunkStatsOptions;
  total: number;
  /** Entries without a usable timestamp: counted, but in no time series. */
  undated: number;
  /** Earliest and latest timestamp, epoch ms UTC; null when no entry had one. */
  minTs: number | null;
  maxTs: number | null;
  levels: Record<string, number>;
  services: Record<string, number>;
  statuses: Record<string, number>;
  methods: Record<string, number>;
  /** Per minute: [lines, failures]. */
  timeline: BucketSeriesJSON;
  /** Per second: [lines, failures], for the sliding failure window. */
  perSecond: BucketSeriesJSON;
  success: Record<string, ServiceSuccessJSON>;
  latency: LatencySummaryJSON;
  latencyByPath: Record<string, LatencySummaryJSON>;
  topMessages: HeavyHittersJSON;
  topPaths: HeavyHittersJSON;
  sample: ReservoirJSON<SampledEntry>;
}

export interface ChunkStatsParts {
  readonly total: number;
  readonly undated: number;
  /** +Infinity / -Infinity while no entry had a timestamp. */
  readonly minTs: number;
  readonly maxTs: number;
  readonly levels: ReadonlyMap<string, number>;
  readonly services: ReadonlyMap<string, number>;
  readonly statuses: ReadonlyMap<number, number>;
  readonly methods: ReadonlyMap<string, number>;
  readonly timeline: BucketSeries;
  readonly perSecond: BucketSeries;
  readonly success: CappedGroups<ServiceSuccess>;
  readonly latency: LatencySummary;
  readonly latencyByPath: CappedGroups<LatencySummary>;
  readonly messages: HeavyHitters;
  readonly paths: HeavyHitters;
  readonly reservoir: Reservoir<SampledEntry>;
}

const MINUTE_MS = 60_000;
const SECOND_MS = 1000;

/**
 * Statistics of a stream of entries, computed in one pass (`add`), serialisable (`toJSON`/`fromJSON`) and
 * mergeable (`merge`, in chunk order) so each chunk job computes a partial and the analyze stage combines
 * them.
 *
 * Exact, and equal whether computed over the whole stream or merged from any split of it: counts by level,
 * service, status and method; total; min/max time; per-minute lines and failures; per-second lines and
 * failures; per-service successes; latency count/sum/min/max and sketch buckets (per path while there are
 * at most `maxLatencyPaths` paths). Approximate with stated bounds: top messages and paths (HeavyHitters),
 * latency quantiles (QuantileSketch), the sample (Reservoir).
 *
 * `remove` subtracts an entry added earlier (here or in a merged partial), for duplicates found after
 * parsing: it undoes every exact counter, but not min/max time or latency (they stay as bounds), nor the
 * top lists or the sample, which cannot forget an item.
 */
export class ChunkStats {
  readonly options: ResolvedChunkStatsOptions;
  private totalCount = 0;
  private undatedCount = 0;
  private minTs = Number.POSITIVE_INFINITY;
  private maxTs = Number.NEGATIVE_INFINITY;
  private readonly levels = new Map<string, number>();
  private readonly services = new Map<string, number>();
  private readonly statuses = new Map<number, number>();
  private readonly methods = new Map<string, number>();
  private readonly timeline: BucketSeries;
  private readonly perSecond: BucketSeries;
  private readonly success: CappedGroups<ServiceSuccess>;
  private readonly latency: LatencySummary;
  private readonly latencyByPath: CappedGroups<LatencySummary>;
  private readonly messages: HeavyHitters;
  private readonly paths: HeavyHitters;
  private reservoir: Reservoir<SampledEntry>;

  constructor(options: ChunkStatsOptions = {}) {
    const o = resolveOptions(options);
    this.options = o;
    this.timeline = new BucketSeries(MINUTE_MS, 2, o.maxMinutes);
    this.perSecond = new BucketSeries(SECOND_MS, 2, o.maxSeconds);
    this.success = new CappedGroups(o.maxServices, ServiceSuccess.kind(o.maxMinutes));
    this.latency = new LatencySummary(o.relativeAccuracy);
    this.latencyByPath = new CappedGroups(o.maxLatencyPaths, {
      create: () => new LatencySummary(o.relativeAccuracy),
      weight: (group) => group.count,
      mergeInto: (target, source) => target.merge(source),
    });
    this.messages = new HeavyHitters(o.topK);
    this.paths = new HeavyHitters(o.topK);
    this.reservoir = new Reservoir(o.reservoirSize, o.seed);
  }

  add(entry: StatsEntry): void {
    this.count(entry, 1);
    const maxKey = this.options.maxKeyLength;
    const { ts, message, path, latencyMs } = entry;
    if (ts !== undefined && Number.isFinite(ts)) {
      if (ts < this.minTs) this.minTs = ts;
      if (ts > this.maxTs) this.maxTs = ts;
    }
    this.messages.add(message.length > maxKey ? message.slice(0, maxKey) : message);
    if (path !== undefined) this.paths.add(path.length > maxKey ? path.slice(0, maxKey) : path);
    if (latencyMs !== undefined) {
      this.latency.add(latencyMs, ts);
      this.latencyByPath.groupFor(path ?? MISSING_KEY).add(latencyMs, ts);
    }
    const slot = this.reservoir.reserveSlot();
    if (slot >= 0) this.reservoir.store(slot, sampleOf(entry, maxKey));
  }

  /** Subtracts an entry added before; see the class comment for what it cannot undo. */
  remove(entry: StatsEntry): void {
    this.count(entry, -1);
    const { latencyMs, path } = entry;
    if (latencyMs !== undefined) {
      this.latency.remove(latencyMs);
      this.latencyByPath.existingGroupFor(path ?? MISSING_KEY)?.remove(latencyMs);
    }
  }

  /** The exact counters shared by add (delta 1) and remove (delta -1). */
  private count(entry: StatsEntry, delta: 1 | -1): void {
    const { ts, level, service, status, method } = entry;
    this.totalCount += delta;
    bump(this.levels, level ?? MISSING_KEY, delta);
    const serviceKey = service ?? MISSING_KEY;
    bump(this.services, serviceKey, delta);
    if (status !== undefined) bump(this.statuses, status, delta);
    if (method !== undefined) bump(this.methods, method, delta);
    const failed = isFailure(entry);
    const succeeded = isSuccess(entry);
    const group = delta > 0 ? this.success.groupFor(serviceKey) : this.success.existingGroupFor(serviceKey);
    if (group) {
      group.total += delta;
      if (succeeded) group.successes += delta;
    }
    if (ts === undefined || !Number.isFinite(ts)) {
      this.undatedCount += delta;
      return;
    }
    this.timeline.add(ts, 0, delta);
    this.perSecond.add(ts, 0, delta);
    group?.series.add(ts, 0, delta);
    if (failed) {
      this.timeline.add(ts, 1, delta);
      this.perSecond.add(ts, 1, delta);
    }
    if (succeeded) group?.series.add(ts, 1, delta);
  }

  /** Folds in the partial of the chunk that follows this one. Options must match. */
  merge(other: ChunkStats): void {
    assertSameShape(this.options, other.options);
    this.totalCount += other.totalCount;
    this.undatedCount += other.undatedCount;
    this.minTs = Math.min(this.minTs, other.minTs);
    this.maxTs = Math.max(this.maxTs, other.maxTs);
    mergeCounts(this.levels, other.levels);
    mergeCounts(this.services, other.services);
    mergeCounts(this.statuses, other.statuses);
    mergeCounts(this.methods, other.methods);
    this.timeline.merge(other.timeline);
    this.perSecond.merge(other.perSecond);
    this.success.merge(other.success);
    this.latency.merge(other.latency);
    this.latencyByPath.merge(other.latencyByPath);
    this.messages.merge(other.messages);
    this.paths.merge(other.paths);
    this.reservoir.merge(other.reservoir);
  }

  toJSON(): ChunkStatsJSON {
    const dated = this.minTs !== Number.POSITIVE_INFINITY;
    return {
      version: 1,
      options: this.options,
      total: this.totalCount,
      undated: this.undatedCount,
      minTs: dated ? this.minTs : null,
      maxTs: dated ? this.maxTs : null,
      levels: countsToRecord(this.levels),
      services: countsToRecord(this.services),
      statuses: countsToRecord(this.statuses),
      methods: countsToRecord(this.methods),
      timeline: this.timeline.toJSON(),
      perSecond: this.perSecond.toJSON(),
      // Groups emptied by `remove` are left out, as if their entries had never been added.
      success: Object.fromEntries(
        this.success
          .entries()
          .filter(([, group]) => group.total !== 0)
          .map(([key, group]) => [key, group.toJSON()]),
      ),
      latency: this.latency.toJSON(),
      latencyByPath: Object.fromEntries(
        this.latencyByPath
          .entries()
          .filter(([, group]) => group.count !== 0)
          .map(([key, group]) => [key, group.toJSON()]),
      ),
      topMessages: this.messages.toJSON(),
      topPaths: this.paths.toJSON(),
      sample: this.reservoir.toJSON(),
    };
  }

  static fromJSON(json: ChunkStatsJSON): ChunkStats {
    if (json.version !== 1) throw new Error(`unsupported ChunkStats version: ${String(json.version)}`);
    const stats = new ChunkStats(json.options);
    stats.totalCount = json.total;
    stats.undatedCount = json.undated;
    stats.minTs = json.minTs ?? Number.POSITIVE_INFINITY;
    stats.maxTs = json.maxTs ?? Number.NEGATIVE_INFINITY;
    for (const [key, count] of Object.entries(json.levels)) stats.levels.set(key, count);
    for (const [key, count] of Object.entries(json.services)) stats.services.set(key, count);
    for (const [key, count] of Object.entries(json.statuses)) stats.statuses.set(Number(key), count);
    for (const [key, count] of Object.entries(json.methods)) stats.methods.set(key, count);
    stats.timeline.merge(BucketSeries.fromJSON(json.timeline));
    stats.perSecond.merge(BucketSeries.fromJSON(json.perSecond));
    for (const [key, group] of Object.entries(json.success))
      stats.success.set(key, ServiceSuccess.fromJSON(group));
    stats.latency.merge(LatencySummary.fromJSON(json.latency));
    for (const [key, group] of Object.entries(json.latencyByPath)) {
      stats.latencyByPath.set(key, LatencySummary.fromJSON(group));
    }
    stats.messages.merge(HeavyHitters.fromJSON(json.topMessages));
    stats.paths.merge(HeavyHitters.fromJSON(json.topPaths));
    stats.reservoir = Reservoir.fromJSON(json.sample);
    return stats;
  }

  /** Read-only access to the parts, for the report functions in `summary.ts`. */
  get parts(): ChunkStatsParts {
    return {
      total: this.totalCount,
      undated: this.undatedCount,
      minTs: this.minTs,
      maxTs: this.maxTs,
      levels: this.levels,
      services: this.services,
      statuses: this.statuses,
      methods: this.methods,
      timeline: this.timeline,
      perSecond: this.perSecond,
      success: this.success,
      latency: this.latency,
      latencyByPath: this.latencyByPath,
      messages: this.messages,
      paths: this.paths,
      reservoir: this.reservoir,
    };
  }
}

function sampleOf(entry: StatsEntry, maxKey: number): SampledEntry {
  const { ts, level, service, method, path, status, latencyMs, message } = entry;
  const sample: SampledEntry = { message: message.length > maxKey ? message.slice(0, maxKey) : message };
  if (ts !== undefined) sample.ts = ts;
  if (level !== undefined) sample.level = level;
  if (service !== undefined) sample.service = service;
  if (method !== undefined) sample.method = method;
  if (path !== undefined) sample.path = path.length > maxKey ? path.slice(0, maxKey) : path;
  if (status !== undefined) sample.status = status;
  if (latencyMs !== undefined) sample.latencyMs = latencyMs;
  return sample;
}

function assertSameShape(a: ResolvedChunkStatsOptions, b: ResolvedChunkStatsOptions): void {
  for (const key of Object.keys(a) as (keyof ResolvedChunkStatsOptions)[]) {
    if (key !== 'seed' && a[key] !== b[key]) {
      throw new Error(`cannot merge ChunkStats built with different ${key}: ${a[key]} and ${b[key]}`);
    }
  }
}
