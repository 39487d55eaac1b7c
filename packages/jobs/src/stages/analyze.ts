import { entryIdRange } from '@logsift/db';
import { DROP_FLAGS, FLAG, levelFromRank } from '../entry.js';
import { chunkFirstLines, type EntryRow } from '../query/entries.js';
import type { UploadJobData } from '../queue/definitions.js';
import { detectAnomalies } from '../stats/anomalies.js';
import type { Anomaly } from '../stats/anomaly.js';
import { ChunkStats, type ChunkStatsJSON } from '../stats/chunk-stats.js';
import type { StatsEntry } from '../stats/classify.js';
import { findNewTemplates } from '../stats/new-templates.js';
import type { StoredOptions } from '../uploads/options.js';
import { attachSamples } from './analyze/evidence.js';
import { mineUploadTemplates, type TemplateAnalysis } from './analyze/templates.js';
import type { CleanResult } from './clean.js';
import type { StageInput } from './context.js';
import { type ChunkResult, loadChunkResults, loadStageResult, saveStageResult } from './results.js';

/** Templates kept in the analysis (most frequent first); the rest are counted only. */
const TEMPLATES_KEPT = 1000;
/** Watchlist matches listed in the report (all are queryable at /api/uploads/:id/matches). */
const MATCHES_LISTED = 50;

export interface WatchlistAnalysis {
  terms: string[];
  falsePositiveRate: number;
  matched: number;
  matches: { line: number; term: string; message: string }[];
}

export interface Analysis {
  stats: ChunkStatsJSON;
  templates: TemplateAnalysis & { total: number; newCount: number };
  anomalies: Anomaly[];
  watchlist: WatchlistAnalysis | null;
}

/** Rows fetched per query when reading entries back (cross-chunk drops). */
const READ_BATCH = 500;

export function statsEntryOf(row: EntryRow): StatsEntry {
  const level = row.level == null ? undefined : levelFromRank(row.level);
  return {
    message: row.message,
    ...(row.ts != null ? { ts: row.ts } : {}),
    ...(level ? { level } : {}),
    ...(row.service != null ? { service: row.service } : {}),
    ...(row.method != null ? { method: row.method } : {}),
    ...(row.path != null ? { path: row.path } : {}),
    ...(row.status != null ? { status: row.status } : {}),
    ...(row.latency_ms != null ? { latencyMs: row.latency_ms } : {}),
  };
}

function readEntries(input: StageInput<UploadJobData>, ids: readonly number[]): EntryRow[] {
  const out: EntryRow[] = [];
  for (let i = 0; i < ids.length; i += READ_BATCH) {
    const batch = ids.slice(i, i + READ_BATCH);
    out.push(
      ...(input.ctx.store.sqlite
        .prepare(`SELECT * FROM entries WHERE id IN (${batch.map(() => '?').join(',')})`)
        .all(...batch) as EntryRow[]),
    );
  }
  return out;
}

/** The chunks' statistics merged in chunk order, minus the entries dropped after parsing. */
export function mergeChunkStats(chunks: readonly ChunkResult[], dropped: readonly EntryRow[]): ChunkStats {
  const merged = new ChunkStats();
  for (const c of chunks) merged.merge(ChunkStats.fromJSON(c.summary.stats));
  for (const row of dropped) if (!(row.flags & FLAG.unparsed)) merged.remove(statsEntryOf(row)); // never added
  return merged;
}

/**
 * Merges what the chunks computed into the upload's analysis: statistics, templates (mined across all
 * chunks at once), anomalies with sample lines, watchlist matches. Runs once per upload: a retry finds the
 * stored analysis and keeps it, so the service's template counts are never added twice.
 */
export async function analyzeUpload(input: StageInput<UploadJobData>): Promise<{ total: number }> {
  const { upload, ctx } = input;
  const { store } = ctx;
  const existing = store.sqlite
    .prepare("SELECT 1 FROM stage_results WHERE upload_id = ? AND stage = 'analyze'")
    .get(upload.id);
  if (existing) return { total: loadStageResult<Analysis>(store, upload.id, 'analyze').stats.total };

  const clean = loadStageResult<CleanResult>(store, upload.id, 'clean');
  const chunks = loadChunkResults(store, upload.id);
  const dropped = readEntries(input, clean.crossChunkDropped);
  const stats = mergeChunkStats(chunks, dropped);
  const mined = mineUploadTemplates(
    store,
    upload,
    chunks,
    dropped.map((r) => r.signature).filter((s): s is number => s != null),
  );
  const templates = mined.analysis.templates;
  // The first upload of a service has nothing to compare with: its templates are new, but not news.
  const known = templates.filter((t) => !t.isNew);
  const seenNew = templates
    .filter((t) => t.isNew && t.count > 0)
    .map((t) => ({ ...t, firstSeen: t.firstSeen ?? upload.createdAt }));
  const newTemplates =
    known.length === 0
      ? []
      : findNewTemplates(
          known.map((t) => t.id),
          seenNew,
        ).map((a) => ({ ...a, samples: templates.find((t) => t.id === a.subject)?.examples ?? [] }));
  const anomalies = [...attachSamples(store, upload, detectAnomalies(stats)), ...newTemplates].sort(
    (a, b) => a.at - b.at,
  );

  const options = JSON.parse(upload.options) as StoredOptions;
  const analysis: Analysis = {
    stats: stats.toJSON(),
    templates: {
      ...mined.analysis,
      templates: templates.slice(0, TEMPLATES_KEPT),
      total: templates.length,
      newCount: templates.filter((t) => t.isNew).length,
    },
    anomalies,
    watchlist: null,
  };
  const unmatch = store.sqlite.prepare('DELETE FROM watch_matches WHERE source = ? AND entry_id = ?');
  store.sqlite.transaction(() => {
    mined.persist();
    for (const id of clean.crossChunkDropped) unmatch.run(upload.seq, id);
    if (options.watchlist)
      analysis.watchlist = recordTemplateMatches(input, options.watchlist, templates, mined.signaturesOf);
    saveStageResult(store, upload.id, 'analyze', analysis);
  })();
  return { total: analysis.stats.total };
}

/**
 * Watchlist terms that are template texts match every kept entry of that template (message terms were
 * matched while parsing). Returns the upload's matches for the report.
 */
function recordTemplateMatches(
  { upload, ctx }: StageInput<UploadJobData>,
  watchlist: NonNullable<StoredOptions['watchlist']>,
  templates: TemplateAnalysis['templates'],
  signaturesOf: (templateId: string) => number[],
): WatchlistAnalysis {
  const { sqlite } = ctx.store;
  const terms = new Set(watchlist.terms);
  const [first, end] = entryIdRange(upload.entryBase, 0, upload.sizeBytes + 1);
  const insert = sqlite.prepare(
    `INSERT INTO watch_matches (source, entry_id, term)
     SELECT ?, id, ? FROM entries WHERE id >= ? AND id < ? AND signature = ? AND (flags & ${DROP_FLAGS}) = 0
       AND id NOT IN (SELECT entry_id FROM watch_matches WHERE source = ?)`,
  );
  for (const t of templates) {
    if (!terms.has(t.text)) continue;
    for (const signature of signaturesOf(t.id))
      insert.run(upload.seq, t.text, first, end, signature, upload.seq);
  }
  const matched = (
    sqlite.prepare('SELECT count(*) AS n FROM watch_matches WHERE source = ?').get(upload.seq) as {
      n: number;
    }
  ).n;
  const firstLines = chunkFirstLines(sqlite, upload.id);
  const rows = sqlite
    .prepare(
      `SELECT e.chunk, e.line, e.message, m.term FROM watch_matches m JOIN entries e ON e.id = m.entry_id
       WHERE m.source = ? ORDER BY m.entry_id LIMIT ${MATCHES_LISTED}`,
    )
    .all(upload.seq) as { chunk: number; line: number; message: string; term: string }[];
  return {
    terms: watchlist.terms,
    falsePositiveRate: watchlist.falsePositiveRate,
    matched,
    matches: rows.map((r) => ({
      line: (firstLines[r.chunk] ?? 1) + r.line - 1,
      term: r.term,
      message: r.message,
    })),
  };
}
