export { type IngestItem, type Rejected, validateBatch } from './batch.js';
export { parseIngestBody } from './body.js';
export { LIVE_DEFAULTS, type LiveConfig } from './config.js';
export {
  deadLetterFilters,
  deadLetterView,
  listDeadLetters,
  type ReplayAnswer,
  replayDeadLetters,
  replayRequest,
} from './dead-letters.js';
export { DedupClaims } from './dedup.js';
export {
  checkEvent,
  type EventProblem,
  type LiveEvent,
  liveEventSchema,
  REJECTION_CODES,
  type RejectionCode,
  type Sender,
} from './event-schema.js';
export { type Frame, LineFramer, SyslogFramer } from './framing.js';
export { enqueueBatches, type IngestResult, type ItemOutcome, LiveIngest } from './ingest.js';
export { ingestJobData, ingestJobId, RETENTION_SCHEDULER_ID } from './jobs.js';
export {
  allSources,
  encodeCursor,
  type LogFilters,
  type LogRow,
  type LogView,
  logFilters,
  logView,
  matchesLog,
  queryLogs,
  resolveSources,
  uploadLogRows,
} from './log-query.js';
export { listMetrics, metricEvents, metricFilters, metricView, pageQuery } from './metrics-query.js';
export {
  diffMetrics,
  findMetric,
  lineageWhere,
  type MetricRow,
  type ReplayResult,
  replayMetrics,
} from './metrics-store.js';
export { BacklogGate, preferLiveIngest } from './priority.js';
export { RateCounter } from './rate.js';
export { type FrameReader, frameReader, jsonLineItem, rawLineItem } from './raw-lines.js';
export { type RetentionResult, runRetention } from './retention.js';
export { OFFSET_STRIDE, Spool, spoolPath, type Transport } from './spool.js';
export { type LiveStats, liveStats } from './stats.js';
export { STORE_MAX_EVENTS, storeBatch } from './store-batch.js';
export { LiveTemplater } from './templating.js';
export {
  ALL_LEVELS,
  DAY_MS,
  type MetricDelta,
  metricDeltas,
  retentionCutoff,
  windowStartOf,
} from './windows.js';
export { type LiveWorkers, startLiveWorkers } from './workers.js';
