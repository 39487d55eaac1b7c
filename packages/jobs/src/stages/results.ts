import type { Store } from '@logsift/db';
import type { ChunkSummary } from './parse.js';

/** A stage's hand-over to the next ones, stored as JSON (replaced when the stage runs again). */
export function saveStageResult(store: Store, uploadId: string, stage: string, value: unknown): void {
  store.sqlite
    .prepare('INSERT OR REPLACE INTO stage_results (upload_id, stage, json) VALUES (?, ?, ?)')
    .run(uploadId, stage, JSON.stringify(value));
}

export function loadStageResult<T>(store: Store, uploadId: string, stage: string): T {
  const row = store.sqlite
    .prepare('SELECT json FROM stage_results WHERE upload_id = ? AND stage = ?')
    .get(uploadId, stage) as { json: string } | undefined;
  if (!row) throw new Error(`no ${stage} result for upload ${uploadId}`);
  return JSON.parse(row.json) as T;
}

export interface ChunkResult {
  chunk: number;
  lines: number;
  records: number;
  parsed: number;
  unparsed: number;
  summary: ChunkSummary;
}

/** An upload's chunk results in chunk order, each read and parsed as it is reached. */
export function* eachChunkResult(store: Store, uploadId: string): Generator<ChunkResult> {
  const rows = store.sqlite
    .prepare(
      'SELECT chunk, lines, records, parsed, unparsed, summary FROM chunk_results WHERE upload_id = ? ORDER BY chunk',
    )
    .iterate(uploadId) as IterableIterator<Omit<ChunkResult, 'summary'> & { summary: string }>;
  for (const r of rows) yield { ...r, summary: JSON.parse(r.summary) as ChunkSummary };
}
