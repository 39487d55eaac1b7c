/** The API's answers as the dashboard reads them (see the route schemas in apps/api/src/routes). */

export type StageName = 'parse' | 'clean' | 'analyze' | 'report';
export const STAGE_NAMES: StageName[] = ['parse', 'clean', 'analyze', 'report'];

export interface StageView {
  state: 'waiting' | 'active' | 'completed' | 'failed' | 'retrying';
  progress: number;
  jobs: number;
  attempts: number;
  durationMs: number | null;
  error: string | null;
}

export interface UploadView {
  id: string;
  status: 'queued' | 'processing' | 'completed' | 'failed';
  filename: string;
  sizeBytes: number;
  format: string | null;
  formatConfidence: number | null;
  service: string | null;
  chunks: number;
  createdAt: string;
  completedAt: string | null;
  error: string | null;
  counts: { lines: number; records: number; parsed: number; unparsed: number; dropped: number } | null;
  stages: Record<StageName, StageView>;
  timings: Record<StageName | 'totalMs', number | null>;
  links: { report: string; reportMarkdown: string; reportHtml: string };
}

export interface UploadEvent {
  type: 'upload';
  upload: UploadView;
  progress: Record<StageName, number>;
}

export interface CountRow {
  value: string;
  count: number;
}

/** The parts of the report JSON (packages/jobs/src/report/types.ts) the report view draws. */
export interface Report {
  upload: { id: string; filename: string; format: string | null };
  counts: {
    lines: number;
    records: number;
    parsed: number;
    unparsed: number;
    dropped: number;
    understoodShare: number;
  };
  timings: { stage: string; ms: number }[];
  levels: CountRow[];
  services: CountRow[];
  statuses: CountRow[];
  timeline: { t: number; lines: number; errors: number }[];
  errorRate: number;
  slowestPaths: { path: string; count: number; p50: number; p95: number; p99: number; max: number }[];
  templates: {
    top: { id: string; template: string; count: number; isNew: boolean; examples: string[] }[];
    total: number;
    newCount: number;
  };
  anomalies: {
    kind: string;
    at: number;
    until?: number;
    value: number;
    baseline: number;
    message: string;
    samples: string[];
  }[];
}

export interface QueueView {
  name: string;
  paused: boolean;
  counts: Record<string, number>;
  workers: { name: string; addr: string; ageSeconds: number; idleSeconds: number }[];
}
