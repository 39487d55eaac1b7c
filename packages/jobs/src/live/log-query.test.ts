import { applyMigrations, openStore } from '@logsift/db';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { type LogFilters, type LogRow, matchesLog, queryLogs } from './log-query.js';

const store = openStore(':memory:');
applyMigrations(store);
afterAll(() => store.close());

const WORDS = ['Card', 'card', 'declined', '100%', 'a_b', 'ok', 'Timeout'];

const entry = fc.record({
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

// Live events only: uploaded records are read from their chunks' columns (upload-logs.ts), and the
// merge of both is tested through GET /api/logs (apps/api/src/live-query.test.ts).
describe('queryLogs', () => {
  it('pages through exactly the rows the tail predicate matches, newest first, whatever the page size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(entry, { maxLength: 40 }),
        filters,
        fc.integer({ min: 1, max: 7 }),
        async (rows, f, limit) => {
          const sources = [0];
          store.sqlite.prepare('DELETE FROM entries').run();
          const insert = store.sqlite.prepare(
            `INSERT INTO entries (id, source, chunk, line, offset, ts, level, service, message, template_id, flags)
             VALUES (?, 0, 0, ?, ?, ?, ?, ?, ?, ?, ?)`,
          );
          for (const [i, r] of rows.entries()) {
            insert.run(i + 1, i, i, r.ts, r.level, r.service, r.message, r.template, r.flags);
          }
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
            const page = await queryLogs(
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
