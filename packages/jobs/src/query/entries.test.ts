import { applyMigrations, openStore, type Store } from '@logsift/db';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildEntriesQuery, type EntryRow, entryFilters, statusesIn } from './entries.js';

let store: Store;

/** Each upload's id range (an upload reserves one id per byte of its file). */
const BASE = (source: number) => source * 1_000_000;
const IDS = (source: number): [number, number] | undefined =>
  source > 0 ? [BASE(source), BASE(source) + 1_000_000] : undefined;

/** Uploads 1 and 2, each with `n` entries 100 bytes apart; every 10th is a 500. Live events in source 0. */
function seed(n: number): void {
  const insert = store.sqlite.prepare(
    'INSERT INTO entries (id, source, chunk, line, offset, ts, status, message) VALUES (?, ?, 0, ?, ?, ?, ?, ?)',
  );
  store.sqlite.transaction(() => {
    for (const source of [1, 2]) {
      for (let i = 0; i < n; i++) {
        insert.run(BASE(source) + i * 100, source, i + 1, i * 100, 1_000 + i, i % 10 ? 200 : 500, `m${i}`);
      }
    }
    for (let i = 1; i <= 5; i++) insert.run(i, 0, i, 0, 1_000 + i, 200, `live${i}`);
  })();
}

function page(source: number, query: Record<string, string>): EntryRow[] {
  const { sql, params } = buildEntriesQuery(source, entryFilters.parse(query), 'asc', IDS(source));
  return store.sqlite.prepare(sql).all(...params) as EntryRow[];
}

function plan(source: number, query: Record<string, string>): string {
  const { sql, params } = buildEntriesQuery(source, entryFilters.parse(query), 'asc', IDS(source));
  const rows = store.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[];
  return rows.map((r) => r.detail).join(' | ');
}

beforeEach(() => {
  store = openStore(':memory:');
  applyMigrations(store);
  seed(1_000);
});
afterEach(() => store.close());

describe('buildEntriesQuery', () => {
  it("pages through one upload's entries in file order, never another upload's", () => {
    const first = page(2, { limit: '3' });
    expect(first.map((r) => r.message)).toEqual(['m0', 'm1', 'm2', 'm3']); // limit + 1 tells there is more
    expect(first.every((r) => r.source === 2)).toBe(true);
    const next = page(2, { limit: '3', cursor: String(first[2]?.id) });
    expect(next.map((r) => r.message)).toEqual(['m3', 'm4', 'm5', 'm6']);
    const last = page(2, { limit: '3', cursor: String(BASE(2) + 998 * 100) });
    expect(last.map((r) => r.message)).toEqual(['m999']);
  });

  it('counts the same with and without a filter', () => {
    expect(page(1, { limit: '1000' })).toHaveLength(1_000);
    expect(page(1, { status: '5xx', limit: '1000' })).toHaveLength(100);
    expect(page(1, { status: '500', limit: '1000' })).toHaveLength(100);
    expect(page(1, { status: '200', limit: '1000' })).toHaveLength(900);
    expect(page(1, { status: '5xx', limit: '1000', cursor: String(BASE(1) + 500 * 100) })).toHaveLength(49);
  });

  it('reads a page of an upload as a primary-key range, without sorting the upload', () => {
    expect(plan(1, {})).toBe('SEARCH entries USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)');
    expect(plan(1, { cursor: String(BASE(1) + 500) })).toBe(
      'SEARCH entries USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)',
    );
    expect(plan(1, { status: '5xx' })).toContain('USING INDEX entries_source_status');
    expect(plan(1, { status: '500' })).toBe(
      'SEARCH entries USING INDEX entries_source_status (source=? AND status=? AND rowid>? AND rowid<?)',
    );
    // The status and signature indexes are partial (NOT NULL only); the filters still imply them.
    expect(plan(1, { template: 'a1b2c3d4' })).toContain('USING INDEX entries_source_signature');
  });

  it('pages a status class as one index walk per code present, with the rows a range gives', () => {
    const insert = store.sqlite.prepare(
      'INSERT INTO entries (id, source, chunk, line, offset, status, message) VALUES (?, 1, 0, 0, 0, ?, ?)',
    );
    for (let i = 0; i < 40; i++) insert.run(BASE(1) + i * 100 + 7, [502, 503, 404, 599][i % 4], `extra${i}`);
    expect(statusesIn(store.sqlite, 1, 500, 599)).toEqual([500, 502, 503, 599]);
    expect(statusesIn(store.sqlite, 1, 400, 499)).toEqual([404]);
    expect(statusesIn(store.sqlite, 2, 400, 499)).toEqual([]);
    const query = (q: Record<string, string>, statuses?: number[]) => {
      const built = buildEntriesQuery(1, entryFilters.parse(q), 'asc', IDS(1), statuses);
      return {
        rows: (store.sqlite.prepare(built.sql).all(...built.params) as EntryRow[]).map((r) => r.id),
        plan: (
          store.sqlite.prepare(`EXPLAIN QUERY PLAN ${built.sql}`).all(...built.params) as { detail: string }[]
        )
          .map((r) => r.detail)
          .join(' | '),
      };
    };
    const statuses = statusesIn(store.sqlite, 1, 500, 599);
    const queries: Record<string, string>[] = [
      { status: '5xx', limit: '25' },
      { status: '5xx', limit: '7', cursor: String(BASE(1) + 2_000) },
    ];
    for (const q of queries) {
      const merged = query(q, statuses);
      expect(merged.rows).toEqual(query(q).rows);
      expect(merged.rows).toHaveLength(Number(q.limit) + 1);
      const searches = merged.plan.split(' | ').filter((d) => d.includes(' entries '));
      expect(searches).toHaveLength(statuses.length);
      for (const d of searches)
        expect(d).toContain('entries_source_status (source=? AND status=? AND rowid>?');
    }
  });

  it('still serves live events (source 0) with their cursor', () => {
    expect(page(0, { limit: '2' }).map((r) => r.message)).toEqual(['live1', 'live2', 'live3']);
    expect(page(0, { limit: '2', cursor: '3' }).map((r) => r.message)).toEqual(['live4', 'live5']);
  });
});
