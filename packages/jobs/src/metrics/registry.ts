import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/**
 * What every logsift process counts, in one registry per process: the API's /metrics and each worker's
 * metrics port serve it. Names (all documented in docs/deploy.md):
 *
 * - `logsift_job_duration_seconds{stage,status}` histogram: a stage job's run time, status completed|failed
 * - `logsift_job_failures_total{stage,final}` counter: failed job attempts; final="true" when no retry follows
 * - `logsift_lines_processed_total` counter: physical lines read by parse jobs (a retried chunk counts again)
 * - `logsift_write_lock_seconds_total{phase}` counter: time parse jobs spent waiting for SQLite's write lock
 *   (phase="wait") and holding it (phase="held") to store their chunks
 * - `logsift_events_processed_total{service}` counter: live events stored
 * - `logsift_events_rejected_total{service,code}` counter: live events refused by validation (dead-lettered)
 * - `logsift_events_duplicate_total{service}` counter: live events dropped as already seen (dedup window)
 *
 * The event counters are incremented by live ingest (rejected, duplicate: the API) and by storing (processed:
 * the workers). `service` is the sending token's name, so its values are bounded by LOGSIFT_TOKENS.
 */
export const metricsRegistry = new Registry();

let processMetricsOn = false;

/** Adds prom-client's process defaults (CPU, memory, event loop lag, GC, handles) once per process. */
export function collectProcessMetrics(): void {
  if (processMetricsOn) return;
  processMetricsOn = true;
  collectDefaultMetrics({ register: metricsRegistry });
}

/** Seconds: from 10 ms (a clean or report job of a small upload) to 5 min (a large parse chunk). */
const JOB_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

export const jobDuration = new Histogram({
  name: 'logsift_job_duration_seconds',
  help: 'Run time of stage jobs, from a worker taking the job to its end',
  labelNames: ['stage', 'status'] as const,
  buckets: JOB_BUCKETS,
  registers: [metricsRegistry],
});

export const jobFailures = new Counter({
  name: 'logsift_job_failures_total',
  help: 'Failed stage job attempts; final="true" when the job will not run again',
  labelNames: ['stage', 'final'] as const,
  registers: [metricsRegistry],
});

export const linesProcessed = new Counter({
  name: 'logsift_lines_processed_total',
  help: 'Physical lines read by parse jobs (a retried chunk counts again)',
  registers: [metricsRegistry],
});

export const writeLockSeconds = new Counter({
  name: 'logsift_write_lock_seconds_total',
  help: "Seconds parse jobs waited for (phase=wait) and held (phase=held) the database's write lock, which all workers share",
  labelNames: ['phase'] as const,
  registers: [metricsRegistry],
});

export const eventsProcessed = new Counter({
  name: 'logsift_events_processed_total',
  help: 'Live events stored',
  labelNames: ['service'] as const,
  registers: [metricsRegistry],
});

export const eventsRejected = new Counter({
  name: 'logsift_events_rejected_total',
  help: 'Live events refused by validation and kept as dead letters',
  labelNames: ['service', 'code'] as const,
  registers: [metricsRegistry],
});

export const eventsDuplicate = new Counter({
  name: 'logsift_events_duplicate_total',
  help: 'Live events dropped because their event_id was seen within the dedup window',
  labelNames: ['service'] as const,
  registers: [metricsRegistry],
});
