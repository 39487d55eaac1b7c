import { findUpload, listUploadJobs, STAGES, type Stage } from '@logsift/jobs';
import type { AppContext } from '../context.js';
import { type UploadView, uploadView } from '../routes/upload-view.js';

/** An upload changed (`upload`), with each stage's progress 0..1 including running parse chunks. */
export type UploadEvent =
  | { type: 'upload'; upload: UploadView; progress: Record<Stage, number> }
  | { type: 'deleted'; id: string };

/** Events of one upload within this window are sent as one (ms): a 1,000-chunk upload is not 1,000 messages. */
export const COALESCE_MS = 200;
/** A failure is recorded by the worker's own listener, possibly after the queue event: look again after this. */
const FAILURE_RECHECK_MS = 1_000;

const JOB_ID = /^(.+)-a(\d+)-(parse|clean|analyze|report)-(\d+)$/;

/** Upload id, stage and part from a stage job id (`jobId()` in @logsift/jobs). */
export function parseJobId(jobId: string): { uploadId: string; stage: Stage; part: number } | undefined {
  const m = JOB_ID.exec(jobId);
  if (!m) return undefined;
  return { uploadId: m[1]!, stage: m[3] as Stage, part: Number(m[4]) };
}

/**
 * Upload changes as they happen, for the SSE routes: the stage queues' events (from every worker, through
 * BullMQ's QueueEvents on Redis) say which upload moved; the state itself is read from the database, where
 * the workers record it. Parse chunks' own progress (percent of their bytes) comes from the progress events.
 */
export class UploadEventHub {
  private readonly listeners = new Set<(event: UploadEvent) => void>();
  private readonly pending = new Map<string, NodeJS.Timeout>();
  /** uploadId -> parse part -> percent reported by the running job. */
  private readonly chunkProgress = new Map<string, Map<number, number>>();
  private started = false;
  private closed = false;

  constructor(private readonly ctx: AppContext) {}

  subscribe(listener: (event: UploadEvent) => void): () => void {
    this.start();
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The current state of one upload, as an event (undefined when it does not exist). */
  snapshot(uploadId: string): UploadEvent | undefined {
    const row = findUpload(this.ctx.store, uploadId);
    if (!row) return undefined;
    const jobs = listUploadJobs(this.ctx.store, uploadId);
    const view = uploadView(row, jobs);
    if (row.status === 'completed' || row.status === 'failed') this.chunkProgress.delete(uploadId);
    const partial = this.chunkProgress.get(uploadId);
    const progress = Object.fromEntries(
      STAGES.map((stage) => {
        const rows = jobs.filter((j) => j.stage === stage);
        if (rows.length === 0) return [stage, 0];
        let done = 0;
        for (const r of rows) {
          if (r.state === 'completed') done += 1;
          else if (r.state === 'active' && stage === 'parse') done += (partial?.get(r.part) ?? 0) / 100;
        }
        return [stage, done / rows.length];
      }),
    ) as Record<Stage, number>;
    return { type: 'upload', upload: view, progress };
  }

  /** Something happened to this upload (here, or in a worker): tell subscribers soon, once. */
  notify(uploadId: string, delayMs = COALESCE_MS): void {
    if (this.closed || this.listeners.size === 0 || this.pending.has(uploadId)) return;
    const timer = setTimeout(() => {
      this.pending.delete(uploadId);
      this.emit(this.snapshot(uploadId) ?? { type: 'deleted', id: uploadId });
    }, delayMs);
    this.pending.set(uploadId, timer);
  }

  emit(event: UploadEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    for (const stage of STAGES) {
      const events = this.ctx.queues.stageEvents(stage);
      const touched = ({ jobId }: { jobId: string }) => {
        const id = parseJobId(jobId);
        if (id) this.notify(id.uploadId);
      };
      for (const name of ['added', 'waiting', 'active', 'completed', 'removed'] as const)
        events.on(name, touched);
      events.on('failed', ({ jobId }) => {
        const id = parseJobId(jobId);
        if (!id) return;
        this.notify(id.uploadId);
        setTimeout(() => this.notify(id.uploadId), FAILURE_RECHECK_MS).unref();
      });
      events.on('progress', ({ jobId, data }) => {
        const id = parseJobId(jobId);
        // Kept only while someone watches: a finished upload's entry is dropped by its last snapshot.
        if (!id || this.listeners.size === 0) return;
        if (typeof data === 'number') {
          const parts = this.chunkProgress.get(id.uploadId) ?? new Map<number, number>();
          this.chunkProgress.set(id.uploadId, parts);
          parts.set(id.part, data);
        }
        this.notify(id.uploadId);
      });
    }
  }

  close(): void {
    this.closed = true;
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
    this.listeners.clear();
  }
}
