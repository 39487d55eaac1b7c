import type { UploadJobRow, UploadRow } from '@logsift/jobs';
import { STAGES } from '@logsift/jobs';

export interface StageView {
  state: 'waiting' | 'active' | 'completed' | 'failed' | 'retrying';
  /** Finished jobs over all jobs of the stage (parse has one job per chunk), 0..1. */
  progress: number;
  jobs: number;
  attempts: number;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  error: string | null;
}

const iso = (ms: number | null | undefined) => (ms == null ? null : new Date(ms).toISOString());

function stageView(rows: UploadJobRow[]): StageView {
  const done = rows.filter((r) => r.state === 'completed').length;
  const states = new Set(rows.map((r) => r.state));
  const state: StageView['state'] = states.has('failed')
    ? 'failed'
    : rows.length > 0 && done === rows.length
      ? 'completed'
      : states.has('retrying')
        ? 'retrying'
        : states.has('active') || done > 0
          ? 'active'
          : 'waiting';
  const started = rows.map((r) => r.startedAt).filter((t): t is number => t != null);
  const finished = rows.map((r) => r.finishedAt).filter((t): t is number => t != null);
  const startedAt = started.length ? Math.min(...started) : null;
  const finishedAt = state === 'completed' && finished.length ? Math.max(...finished) : null;
  return {
    state,
    progress: rows.length ? done / rows.length : 0,
    jobs: rows.length,
    attempts: rows.reduce((n, r) => Math.max(n, r.attempts), 0),
    startedAt: iso(startedAt),
    finishedAt: iso(finishedAt),
    durationMs: startedAt != null && finishedAt != null ? finishedAt - startedAt : null,
    error: rows.find((r) => r.error)?.error ?? null,
  };
}

/** The public shape of an upload, as every upload route answers it. */
export function uploadView(row: UploadRow, jobs: UploadJobRow[], extra: { deduplicated?: boolean } = {}) {
  const base = `/api/uploads/${row.id}`;
  const stages = Object.fromEntries(STAGES.map((s) => [s, stageView(jobs.filter((j) => j.stage === s))]));
  return {
    id: row.id,
    status: row.status,
    filename: row.filename,
    sha256: row.sha256,
    deduplicated: extra.deduplicated ?? false,
    sizeBytes: row.sizeBytes,
    compression: row.compression,
    format: row.format,
    formatConfidence: row.formatConfidence,
    service: row.service,
    attempt: row.attempt,
    chunks: row.chunkCount,
    createdAt: iso(row.createdAt),
    startedAt: iso(row.startedAt),
    completedAt: iso(row.completedAt),
    error: row.error,
    counts:
      row.lines == null
        ? null
        : {
            lines: row.lines,
            records: row.records,
            parsed: row.parsed,
            unparsed: row.unparsed,
            dropped: row.dropped,
          },
    stages,
    timings: {
      ...Object.fromEntries(STAGES.map((s) => [s, stages[s]?.durationMs ?? null])),
      totalMs: row.completedAt != null && row.status === 'completed' ? row.completedAt - row.createdAt : null,
    },
    links: {
      self: base,
      report: `${base}/report`,
      reportMarkdown: `${base}/report?format=md`,
      reportHtml: `${base}/report?format=html`,
      entries: `${base}/entries`,
    },
  };
}
export type UploadView = ReturnType<typeof uploadView>;
