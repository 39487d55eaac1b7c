/** Log files for the fault and load tests, and the check that what was stored is exactly what was sent. */
import { existsSync, readdirSync } from 'node:fs';
import { entryIdRange, openStore } from '@logsift/db';
import { type GenerateFormat, generateLines } from '@logsift/jobs';

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

/** [offset, length] of every entry stored for the upload, in id (file) order, read from the SQLite file. */
export function storedRanges(dataDir: string, uploadId: string): [number, number][] {
  const store = openStore(`file:${dataDir}/logsift.db`, { readonly: true });
  try {
    const upload = store.sqlite
      .prepare('SELECT entry_base, size_bytes FROM uploads WHERE id = ?')
      .get(uploadId) as { entry_base: number; size_bytes: number } | undefined;
    if (!upload) throw new Error(`no upload ${uploadId} in the database`);
    const rows = store.sqlite
      .prepare('SELECT offset, length FROM entries WHERE id >= ? AND id < ? ORDER BY id')
      .all(...entryIdRange(upload.entry_base, 0, upload.size_bytes + 1)) as {
      offset: number;
      length: number;
    }[];
    return rows.map((r) => [r.offset, r.length]);
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
