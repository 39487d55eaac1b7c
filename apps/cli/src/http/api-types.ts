/** The parts of the API's answers the CLI reads (apps/api/src/routes/upload-view.ts is the source). */

export const STAGE_NAMES = ['parse', 'clean', 'analyze', 'report'] as const;
export type StageName = (typeof STAGE_NAMES)[number];

export interface StageView {
  state: 'waiting' | 'active' | 'completed' | 'failed' | 'retrying';
  /** Finished jobs over all jobs of the stage, 0..1. */
  progress: number;
  jobs: number;
  attempts: number;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  error: string | null;
}

export interface UploadCounts {
  lines: number;
  records: number | null;
  parsed: number | null;
  unparsed: number | null;
  dropped: number | null;
}

export type UploadStatus = 'queued' | 'processing' | 'completed' | 'failed';

export interface UploadView {
  id: string;
  status: UploadStatus;
  filename: string;
  deduplicated: boolean;
  sizeBytes: number;
  format: string | null;
  formatConfidence: number | null;
  service: string | null;
  attempt: number;
  chunks: number | null;
  createdAt: string | null;
  completedAt: string | null;
  error: string | null;
  counts: UploadCounts | null;
  stages: Partial<Record<StageName, StageView>>;
  timings: Partial<Record<StageName, number | null>> & { totalMs: number | null };
  links: { self: string; report: string; reportMarkdown: string; reportHtml: string; entries: string };
}

export interface UploadList {
  uploads: UploadView[];
  nextCursor: string | null;
}

export const isFinished = (u: Pick<UploadView, 'status'>): boolean =>
  u.status === 'completed' || u.status === 'failed';
