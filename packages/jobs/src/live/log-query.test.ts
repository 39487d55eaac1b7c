import { applyMigrations, openStore } from '@logsift/db';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { TextFilterBuilder } from '../query/text-filter.js';
import { type LogFilters, type LogRow, matchesLog, queryLogs } from './log-query.js';

const store = openStore(':memory:');
applyMigrations(store);
afterAll(() => store.close());

const WORDS = ['Card', 'card', 'declined', '100%', 'a_b', 'ok', 'Timeout'];

const entry = fc.record({
  source: fc.constantFrom(0, 1, 2),
  ts: fc.option(fc.integer({ min: 0, max: 20 }), { nil: null }),
  level: fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }),
  service: fc.constantFrom('a', 'b', null),
  message: fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 3 }).map((w) => w.join(' ')),
  template: fc.constantFrom('t1', 't2', null),
  flags: fc.constantFrom(0, 0, 16),
});

const filters = fc.record(
  {
    level: fc.uniqueArray(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 3 }),
    service: fc.constantFrom('a', 'b'),
    from: fc.integer({ min: 0, max: 20 }),
    to: fc.integer({ min: 0, max: 21 }),
    q: fc.constantFrom('card', 'CARD', '100%', '_', 'a_b', 'decl'),
    template: fc.constantFrom('t1', 't2'),
    dropped: fc.constantFrom('true' as const, 'false' as const),
  },
  { requiredKeys: [] },
);

// Uploads 1 and 2 (entry_base 0: an entry's id is its offset), so text searches in them go through their
// chunks' skip index: chunks of 8 ids, some without a trigram filter, as chunks written before it had.
const CHUNK_IDS = 8;
for (const seq of [1, 2]) {
  store.sqlite
    .prepare(
      `INSERT INTO uploads (id, seq, entry_base, created_at, filename, stored_path, size_bytes, sha256)
       VALUES (?, ?, 0, 0, 'f.log', '/dev/null', 100, '')`,
    )
    .run(`u${seq}`, seq);
}

function indexChunks(
  rows: readonly { source: number; ts: number | null; message: string }[],
  legacy: boolean[],
) {
  store.sqlite.prepare('DELETE FROM chunk_results').run();
  const insert = store.sqlite.prepare(
    `INSERT INTO chunk_results (upload_id, chunk, start_byte, end_byte, lines, records, parsed, unparsed,
       summary, min_ts, max_ts, text_filter) VALUES (?, ?, ?, ?, 0, 0, 0, 0, '{}', ?, ?, ?)`,
  );
  for (const seq of [1, 2]) {
    for (let c = 0; c * CHUNK_IDS <= rows.length; c++) {
      const start = c * CHUNK_IDS + 1;
      const mine = rows.slice(start - 1, start - 1 + CHUNK_IDS).filter((r) => r.source === seq);
      const trigrams = new TextFilterBuilder();
      for (const r of mine) trigrams.add(r.message);
      const times = mine.map((r) => r.ts).filter((ts): ts is number => ts !== null);
      const span = times.length > 0 ? [Math.min(...times), Math.max(...times)] : [null, null];
      insert.run(
        `u${seq}`,
        c,
        start,
        start + CHUNK_IDS,
        ...span,
        legacy[c % legacy.length] ? null : trigrams.finish(),
      );
    }
  }
}

describe('queryLogs', () => {
  it('pages through exactly the rows the tail predicate matches, newest first, whatever the page size', () => {
    fc.assert(
      fc.property(
        fc.array(entry, { maxLength: 40 }),
        filters,
        fc.integer({ min: 1, max: 7 }),
        fc.subarray([0, 1, 2], { minLength: 1 }),
        fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        (rows, f, limit, sources, legacy) => {
          store.sqlite.prepare('DELETE FROM entries').run();
          const insert = store.sqlite.prepare(
            `INSERT INTO entries (id, source, chunk, line, offset, ts, level, service, message, template_id, flags)
             VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?)`,
          );
          for (const [i, r] of rows.entries()) {
            insert.run(i + 1, r.source, i, i, r.ts, r.level, r.service, r.message, r.template, r.flags);
          }
          indexChunks(rows, legacy);
          const all = store.sqlite.prepare('SELECT * FROM entries').all() as LogRow[];
          const wanted = new Set(sources);
          const expected = all
            .filter((r) => matchesLog({ ...f, limit } as LogFilters, r, wanted))
            .sort((x, y) =>
              x.ts === null || y.ts === null
                ? (x.ts === null ? 1 : 0) - (y.ts === null ? 1 : 0) || y.id - x.id
                : y.ts - x.ts || y.id - x.id,
            )
            .map((r) => r.id);
          const got: number[] = [];
          let cursor: string | undefined;
          for (let pages = 0; pages <= rows.length + 1; pages++) {
            const page = queryLogs(
              store,
              { ...f, limit, ...(cursor ? { cursor } : {}) } as LogFilters,
              sources,
            );
            got.push(...page.rows.map((r) => r.id));
            if (!page.nextCursor) break;
            cursor = page.nextCursor;
          }
          expect(got).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
