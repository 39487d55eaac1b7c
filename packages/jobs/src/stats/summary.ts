import type { ChunkStats, SampledEntry } from './chunk-stats.js';
import { countsToRecord } from './counter-map.js';
import type { HeavyHitter } from './heavy-hitters.js';
import type { LatencyReport } from './latency.js';
import { type FailurePeak, type FailureWindowOptions, peakFailureRate } from './sliding-window.js';
import { type ServiceSuccessSeries, successSeries } from './success-rate.js';

export interface TimelinePoint {
  /** Minute start (bucket start when the series coarsened), epoch ms UTC. */
  at: number;
  lines: number;
  /** ERROR/FATAL entries and HTTP 5xx responses. */
  errors: number;
}

export interface Timeline {
  /** 60000 unless the file spans more than `maxMinutes` non-empty minutes. */
  widthMs: number;
  points: TimelinePoint[];
}

export interface TopList {
  /** Stream length the list was computed over. */
  total: number;
  /** No count is more than this above the truth, and an unlisted item occurs at most this often. */
  errorBound: number;
  items: HeavyHitter[];
}

export interface PathLatency extends LatencyReport {
  path: string;
}

export interface StatusEstimate {
  status: number;
  exact: number;
  /** Estimated from the sample: its share of the sample times the total. */
  estimated: number;
  /** Times the status occurs in the sample. */
  inSample: number;
}

/** Lines and errors per minute (only minutes with lines). */
export function timeline(stats: ChunkStats): Timeline {
  const series = stats.parts.timeline;
  return {
    widthMs: series.widthMs,
    points: series.points().map(({ at, values }) => ({ at, lines: values[0]!, errors: values[1]! })),
  };
}

/** Success rate per service, per minute and cumulative, busiest service first. */
export function successRates(stats: ChunkStats): ServiceSuccessSeries[] {
  return stats.parts.success
    .entries()
    .filter(([, group]) => group.total !== 0)
    .map(([service, group]) => successSeries(service, group))
    .sort((a, b) => b.total - a.total || a.service.localeCompare(b.service));
}

/** The worst failure rate over a sliding window (default 60 s, windows of at least 20 lines). */
export function failurePeak(stats: ChunkStats, options: FailureWindowOptions = {}): FailurePeak | null {
  const series = stats.parts.perSecond;
  return peakFailureRate(series.points(), series.widthMs, options);
}

export function latencyOverall(stats: ChunkStats): LatencyReport | null {
  const summary = stats.parts.latency;
  return summary.count > 0 ? summary.report() : null;
}

/** Latency per path, most requested first. */
export function latencyByPath(stats: ChunkStats): PathLatency[] {
  return stats.parts.latencyByPath
    .entries()
    .filter(([, summary]) => summary.count > 0)
    .map(([path, summary]) => ({ path, ...summary.report() }))
    .sort((a, b) => b.count - a.count || a.path.localeCompare(b.path));
}

export function topMessages(stats: ChunkStats, limit = 20): TopList {
  const { messages } = stats.parts;
  return { total: messages.total, errorBound: messages.errorBound, items: messages.top(limit) };
}

export function topPaths(stats: ChunkStats, limit = 20): TopList {
  const { paths } = stats.parts;
  return { total: paths.total, errorBound: paths.errorBound, items: paths.top(limit) };
}

export function sample(stats: ChunkStats): readonly SampledEntry[] {
  return stats.parts.reservoir.sample;
}

/**
 * The most common status codes as the sample estimates them, beside the exact counts: shows how far a
 * sample of this size can be trusted. Sorted by exact count.
 */
export function statusEstimates(stats: ChunkStats, limit = 10): StatusEstimate[] {
  const { statuses, reservoir, total } = stats.parts;
  const inSample = new Map<number, number>();
  for (const entry of reservoir.sample) {
    if (entry.status !== undefined) inSample.set(entry.status, (inSample.get(entry.status) ?? 0) + 1);
  }
  const size = reservoir.sample.length;
  const codes = new Set([...statuses.keys(), ...inSample.keys()]);
  return [...codes]
    .map((status) => {
      const hits = inSample.get(status) ?? 0;
      return {
        status,
        exact: statuses.get(status) ?? 0,
        estimated: size > 0 ? Math.round((hits / size) * total) : 0,
        inSample: hits,
      };
    })
    .sort((a, b) => b.exact - a.exact || a.status - b.status)
    .slice(0, limit);
}

export interface StatsSummary {
  total: number;
  undated: number;
  /** Earliest and latest timestamp, epoch ms UTC. */
  from: number | null;
  until: number | null;
  levels: Record<string, number>;
  services: Record<string, number>;
  statuses: Record<string, number>;
  methods: Record<string, number>;
  timeline: Timeline;
  successRates: ServiceSuccessSeries[];
  failurePeak: FailurePeak | null;
  latency: LatencyReport | null;
  latencyByPath: PathLatency[];
  topMessages: TopList;
  topPaths: TopList;
  statusEstimates: StatusEstimate[];
  sample: readonly SampledEntry[];
}

/** Everything a report shows, read from merged statistics. */
export function summarize(stats: ChunkStats, window: FailureWindowOptions = {}): StatsSummary {
  const parts = stats.parts;
  const dated = parts.minTs !== Number.POSITIVE_INFINITY;
  return {
    total: parts.total,
    undated: parts.undated,
    from: dated ? parts.minTs : null,
    until: dated ? parts.maxTs : null,
    levels: countsToRecord(parts.levels),
    services: countsToRecord(parts.services),
    statuses: countsToRecord(parts.statuses),
    methods: countsToRecord(parts.methods),
    timeline: timeline(stats),
    successRates: successRates(stats),
    failurePeak: failurePeak(stats, window),
    latency: latencyOverall(stats),
    latencyByPath: latencyByPath(stats),
    topMessages: topMessages(stats),
    topPaths: topPaths(stats),
    statusEstimates: statusEstimates(stats),
    sample: sample(stats),
  };
}
