import type { Sqlite } from '@logsift/db';
import { chunkFilter, chunkMayMatch, type RecordFilter } from '../segments/filter.js';
import { type RecordRef, readChunkBytes, type StoredRecord } from '../segments/rehydrate.js';
import { firstRowAtOrAfter } from '../segments/store.js';
import { candidateRows, chunkMayHold, messageHas, textSearch } from '../segments/text-search.js';
import { UploadRecords, type UploadSource } from '../segments/upload-records.js';
import { type EntryFilters, firstLinesOf } from './entries.js';

/** The filters of a query as a record filter; a template becomes the signatures mapped to it. */
export function recordFilterOf(
  sqlite: Sqlite,
  source: number,
  f: Pick<EntryFilters, 'level' | 'status' | 'from' | 'to' | 'service' | 'template' | 'dropped'>,
): RecordFilter {
  const signatures = f.template
    ? new Set(
        sqlite
          .prepare('SELECT signature FROM upload_signatures WHERE source = ? AND template_id = ?')
          .pluck()
          .all(source, f.template) as number[],
      )
    : undefined;
  return {
    levels: f.level,
    status: f.status,
    from: f.from,
    to: f.to,
    service: f.service,
    signatures,
    keepDropped: f.dropped === 'true',
  };
}

export interface EntriesPage {
  records: StoredRecord[];
  /** The id to pass as `cursor` for the next page, or null on the last. */
  nextCursor: number | null;
  /** File line number of each chunk's first line (entryView's `firstLines`). */
  firstLines: number[];
}

/**
 * A page of an upload's records matching `f`, in file order after `f.cursor` (an entry id). Chunks whose
 * skip index rules them out are passed over unread; the others are read column by column, and only the
 * page's records are parsed again, except under a text search (text-search.ts).
 */
export async function uploadEntriesPage(
  sqlite: Sqlite,
  upload: UploadSource,
  f: EntryFilters,
): Promise<EntriesPage> {
  const records = new UploadRecords(sqlite, upload, { textFilters: f.q !== undefined });
  const filter = recordFilterOf(sqlite, upload.seq, f);
  const search = f.q ? textSearch(f.q, records.parser.format) : null;
  const want = f.limit + 1;
  const after = f.cursor === undefined ? -1 : f.cursor - upload.entryBase;
  const found: StoredRecord[] = [];
  const refs: RecordRef[] = [];
  const { metas } = records;
  for (let c = 0; c < metas.length && found.length + refs.length < want; c++) {
    const meta = metas[c];
    if (!meta || meta.end <= after + 1 || !chunkMayMatch(meta, filter)) continue;
    if (search && !chunkMayHold(meta, search)) continue;
    const segment = records.segment(c);
    const test = chunkFilter(segment, filter);
    if (!test) continue;
    const first = after < meta.start ? 0 : firstRowAtOrAfter(segment, after + 1);
    if (!search) {
      for (let row = first; row < segment.rows && refs.length < want; row++) {
        if (test(row)) refs.push({ segment, row });
      }
      continue;
    }
    const bytes = await readChunkBytes(upload.storedPath, segment);
    for (const row of candidateRows(segment, bytes, search)) {
      if (row < first || !test(row)) continue;
      const record = records.parser.rowFromChunk({ segment, row }, bytes);
      if (messageHas(search, record.row.message)) found.push(record);
      if (found.length === want) break;
    }
  }
  const all = search ? found : await records.rows(refs);
  const page = all.slice(0, f.limit);
  return {
    records: page,
    nextCursor: all.length > f.limit ? (page.at(-1)?.row.id ?? null) : null,
    firstLines: firstLinesOf(metas),
  };
}
