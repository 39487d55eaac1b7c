/**
 * Statistics of log entries: one-pass, serialisable, mergeable partials per chunk (`ChunkStats`), the
 * report read from them (`summarize`), anomaly detection, and a Bloom-filtered watchlist.
 */

export {
  type AnomalyOptions,
  detectAnomalies,
  detectErrorSpikes,
  detectVolumeChanges,
  type ErrorSpikeOptions,
  type MinuteCounts,
  type VolumeOptions,
} from './anomalies.js';
export type { Anomaly, AnomalyKind } from './anomaly.js';
export { BloomFilter, type BloomFilterJSON } from './bloom-filter.js';
export { type BucketPoint, BucketSeries, type BucketSeriesJSON } from './bucket-series.js';
export { OTHER_KEY } from './capped-groups.js';
export { ChunkStats, type ChunkStatsJSON, type SampledEntry } from './chunk-stats.js';
export { isFailure, isSuccess, MISSING_KEY, type StatsEntry } from './classify.js';
export { fnv1a32, murmur3_32 } from './hash.js';
export { type HeavyHitter, HeavyHitters, type HeavyHittersJSON } from './heavy-hitters.js';
export { type LatencyReport, LatencySummary } from './latency.js';
export {
  detectLatencyOutliers,
  type LatencyOutlierOptions,
  type PathLatencyInput,
} from './latency-outliers.js';
export { findNewTemplates, type SeenTemplate } from './new-templates.js';
export {
  type ChunkStatsOptions,
  DEFAULT_CHUNK_STATS_OPTIONS,
  type ResolvedChunkStatsOptions,
} from './options.js';
export { QuantileSketch, type QuantileSketchJSON } from './quantile-sketch.js';
export { Reservoir, type ReservoirJSON } from './reservoir.js';
export { MAD_TO_SIGMA, median, medianAbsoluteDeviation } from './robust.js';
export {
  DEFAULT_WINDOW_MIN_LINES,
  DEFAULT_WINDOW_SECONDS,
  type FailurePeak,
  type FailureWindowOptions,
  peakFailureRate,
} from './sliding-window.js';
export type { ServiceSuccessSeries, SuccessPoint } from './success-rate.js';
export {
  failurePeak,
  latencyByPath,
  latencyOverall,
  type PathLatency,
  type StatsSummary,
  type StatusEstimate,
  sample,
  statusEstimates,
  successRates,
  summarize,
  type Timeline,
  type TimelinePoint,
  type TopList,
  timeline,
  topMessages,
  topPaths,
} from './summary.js';
export { Watchlist, type WatchlistJSON, type WatchlistMatch } from './watchlist.js';
