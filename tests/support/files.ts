/** Log files for the fault and load tests, and the check that what was stored is exactly what was sent. */
import { existsSync, readdirSync } from 'node:fs';
import { openStore, type Store } from '@logsift/db';
import { findUpload, type GenerateFormat, generateLines, UploadRecords } from '@logsift/jobs';

/** `lines` generated lines (deterministic for a seed), each ending with "\n". */
export function generateLog(lines: number, seed = 1, format: GenerateFormat = 'plain'): Buffer {
  const out: string[] = [];
  for (const line of generateLines({ format, lines, seed })) out.push(line, '\n');
  return Buffer.from(out.join(''));
}

/** [offset, length] of every line of a file whose lines all end with "\n": one record per line. */
export function lineRanges(content: Buffer): [number, number][] {
  const ranges: [number, number][] = [];
  let start = 0;
  for (let nl = content.indexOf(10); nl >= 0; nl = content.indexOf(10, start)) {
    ranges.push([start, nl - start]);
    start = nl + 1;
  }
  return ranges;
}

/** [offset, length] of every record stored for the upload, in file order, from its chunks' columns. */
export function uploadRanges(store: Store, uploadId: string): [number, number][] {
  const upload = findUpload(store, uploadId);
  if (!upload) throw new Error(`no upload ${uploadId} in the database`);
  const records = new UploadRecords(store.sqlite, upload);
  const out: [number, number][] = [];
  records.metas.forEach((_, c) => {
    const segment = records.segment(c);
    const { length } = segment;
    for (let row = 0; row < segment.offset.length; row++)
      out.push([segment.offsetOf(row), length[row] as number]);
  });
  return out;
}

/** uploadRanges, read from the stack's SQLite file. */
export function storedRanges(dataDir: string, uploadId: string): [number, number][] {
  const store = openStore(`file:${dataDir}/logsift.db`, { readonly: true });
  try {
    return uploadRanges(store, uploadId);
  } finally {
    store.close();
  }
}

/** Rows of a table, read from the stack's SQLite file. */
export function countRows(dataDir: string, table: 'uploads' | 'entries' | 'upload_jobs'): number {
  const store = openStore(`file:${dataDir}/logsift.db`, { readonly: true });
  try {
    return (store.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    store.close();
  }
}

/** Names in a directory, [] when it does not exist. */
export function filesIn(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}
