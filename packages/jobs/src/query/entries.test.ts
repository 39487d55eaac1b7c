import { applyMigrations, openStore, type Store } from '@logsift/db';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildEntriesQuery, type EntryRow, entryFilters, statusesIn, uploadEntriesQuery } from './entries.js';
import { joinSmallestGaps } from './skip-chunks.js';
import { TextFilterBuilder } from './text-filter.js';

let store: Store;

/** Each upload's id range (an upload reserves one id per byte of its file). */
const BASE = (source: number) => source * 1_000_000;
const IDS = (source: number): [number, number][] | undefined =>
  source > 0 ? [[BASE(source), BASE(source) + 1_000_000]] : undefined;

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
  const { sql, params } = buildEntriesQuery(source, entryFilters.parse(query), 'asc', { ids: IDS(source) });
  return store.sqlite.prepare(sql).all(...params) as EntryRow[];
}

function plan(source: number, query: Record<string, string>): string {
  const { sql, params } = buildEntriesQuery(source, entryFilters.parse(query), 'asc', { ids: IDS(source) });
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
      const built = buildEntriesQuery(1, entryFilters.parse(q), 'asc', { ids: IDS(1), statuses });
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

describe('time filters and text search read only the chunks the skip index cannot rule out', () => {
  // Upload 1's 1,000 entries (ts 1,000..1,999, in file order) as 10 chunks of 100 entries (10,000 bytes).
  const upload = { id: 'u1', seq: 1, entryBase: BASE(1), sizeBytes: 100_000 };
  beforeEach(() => {
    store.sqlite
      .prepare(
        `INSERT INTO uploads (id, seq, entry_base, created_at, filename, stored_path, size_bytes, sha256)
         VALUES ('u1', 1, ?, 0, 'a.log', '/dev/null', 100000, '')`,
      )
      .run(BASE(1));
    const chunk = store.sqlite.prepare(
      `INSERT INTO chunk_results (upload_id, chunk, start_byte, end_byte, lines, records, parsed, unparsed,
         summary, min_ts, max_ts, text_filter) VALUES ('u1', ?, ?, ?, 100, 100, 100, 0, '{}', ?, ?, ?)`,
    );
    for (let c = 0; c < 10; c++) {
      const trigrams = new TextFilterBuilder();
      for (let i = c * 100; i < (c + 1) * 100; i++) trigrams.add(`m${i}`);
      chunk.run(c, c * 10_000, (c + 1) * 10_000, 1_000 + c * 100, 1_099 + c * 100, trigrams.finish());
    }
  });
  const iso = (ms: number) => new Date(ms).toISOString();
  const run = (query: Record<string, string>, whole = false) => {
    const f = entryFilters.parse(query);
    const built = whole
      ? buildEntriesQuery(1, f, 'asc', { ids: IDS(1) })
      : uploadEntriesQuery(store.sqlite, upload, f);
    const explain = store.sqlite.prepare(`EXPLAIN QUERY PLAN ${built.sql}`).all(...built.params) as {
      detail: string;
    }[];
    return {
      ids: (store.sqlite.prepare(built.sql).all(...built.params) as EntryRow[]).map((r) => r.id),
      plan: explain.map((r) => r.detail).join(' | '),
    };
  };

  it('returns what the whole-upload query returns, by primary key, cursor included', () => {
    const queries: Record<string, string>[] = [
      { from: iso(1_250), to: iso(1_310), limit: '100' },
      { from: iso(1_500), limit: '30' },
      { from: iso(1_500), limit: '30', cursor: String(BASE(1) + 600 * 100) },
      { to: iso(1_020), limit: '100' },
      { from: iso(1_990), to: iso(5_000), limit: '5' },
      { from: iso(3_000), limit: '5' },
      { from: iso(1_250), to: iso(1_251), limit: '5', q: 'm250' },
    ];
    for (const q of queries) {
      const zoned = run(q);
      expect(zoned.ids, JSON.stringify(q)).toEqual(run(q, true).ids);
      expect(zoned.plan).not.toContain('entries_source_ts');
      expect(zoned.plan).not.toContain('TEMP B-TREE');
    }
    expect(run({ from: iso(1_250), to: iso(1_310), limit: '100' }).ids).toHaveLength(60);
    expect(run({ from: iso(3_000) }).ids).toEqual([]);
  });

  it('searches text in the chunks whose text filter can hold it, ASCII case folded as LIKE does', () => {
    const arms = (plan: string) => plan.split(' | ').filter((d) => d.includes('PRIMARY KEY')).length;
    for (const q of ['m250', 'M25', 'm9', '99', 'zzz', 'm1000']) {
      const query = { q, limit: '1000' };
      const zoned = run(query);
      expect(zoned.ids, q).toEqual(run(query, true).ids);
      expect(zoned.plan).not.toContain('entries_source_ts');
    }
    expect(run({ q: 'm250' }).ids).toHaveLength(1);
    expect(arms(run({ q: 'm250' }).plan)).toBe(1); // chunk 2 alone
    expect(arms(run({ q: 'M25', limit: '1000' }).plan)).toBe(2); // m25 in chunk 0, m250..m259 in chunk 2
    expect(run({ q: 'zzz' }).ids).toEqual([]);
    expect(run({ q: 'm25', from: iso(1_200), limit: '1000' }).ids).toHaveLength(10);
  });

  it('keeps to the timestamp index when the spans do not narrow the scan', () => {
    // Every chunk spans the whole upload's time (a log out of time order): no chunk is wholly inside.
    store.sqlite.prepare('UPDATE chunk_results SET min_ts = 0, max_ts = 10000').run();
    const q = { from: iso(1_250), to: iso(1_310), limit: '100' };
    expect(run(q).ids).toEqual(run(q, true).ids);
    expect(run(q).plan).toContain('entries_source_ts');
  });

  it('joins neighbouring ranges across the smallest gaps', () => {
    expect(
      joinSmallestGaps(
        [
          [0, 10],
          [12, 20],
          [50, 60],
          [61, 70],
        ],
        2,
      ),
    ).toEqual([
      [0, 20],
      [50, 70],
    ]);
    expect(joinSmallestGaps([[0, 10]], 1)).toEqual([[0, 10]]);
  });
});
