import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { generateLines } from '@logsift/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, type Harness, multipart, startHarness } from './test-support/harness.js';

const accessLog = (lines: number, seed = 7) =>
  `${[...generateLines({ format: 'access', lines, seed })].join('\n')}\n`;

async function upload(h: Harness, files: Parameters<typeof multipart>[0], query = '?wait=true', fields = {}) {
  const body = multipart(files, fields);
  return h.app.inject({
    method: 'POST',
    url: `/api/uploads${query}`,
    headers: { ...AUTH, ...body.headers },
    payload: body.payload,
  });
}

describe('upload -> report', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { CHUNK_BYTES: '8192' } });
  });
  afterAll(() => h.close());

  it('parses a multi-chunk access log and reports exact counts', async () => {
    const text = accessLog(500);
    const res = await upload(h, [{ filename: 'access.log', content: text }]);
    expect(res.statusCode).toBe(200);
    const [u] = res.json().uploads;
    expect(u.status).toBe('completed');
    expect(u.deduplicated).toBe(false);
    expect(u.format).toBe('combined');
    expect(u.chunks).toBeGreaterThan(5);
    const rawLines = text.trimEnd().split('\n');
    const duplicates = rawLines.length - new Set(rawLines).size;
    expect(u.counts).toEqual({ lines: 500, records: 500, parsed: 500, unparsed: 0, dropped: duplicates });
    expect(u.report.cleaning.reasons.duplicate).toBe(duplicates);
    expect(u.report.counts.lines).toBe(500);
    expect(u.report.statuses.reduce((n: number, r: { count: number }) => n + r.count, 0)).toBe(
      500 - duplicates,
    );
    expect(Object.values(u.stages).every((s) => (s as { state: string }).state === 'completed')).toBe(true);

    // Every line stored once, in file order, with line numbers of the file.
    const all: { line: number; raw: string; timestamp: string }[] = [];
    let cursor: number | null = null;
    do {
      const page: Awaited<ReturnType<typeof h.app.inject>> = await h.app.inject({
        url: `/api/uploads/${u.id}/entries?dropped=true&limit=200${cursor ? `&cursor=${cursor}` : ''}`,
        headers: AUTH,
      });
      expect(page.statusCode).toBe(200);
      all.push(...page.json().entries);
      cursor = page.json().nextCursor;
    } while (cursor);
    expect(all.map((e) => e.raw)).toEqual(text.trimEnd().split('\n'));
    expect(all.map((e) => e.line)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    // The report's span is the earliest and latest record time, not the timeline's minute buckets.
    const times = all.map((e) => Date.parse(e.timestamp));
    expect(u.report.span).toEqual({ first: Math.min(...times), last: Math.max(...times) });
  });

  it('filters entries by status class and level', async () => {
    const text = accessLog(300, 11);
    const res = await upload(h, [{ filename: 'b.log', content: text }]);
    const { id } = res.json().uploads[0];
    const expected5xx = text.split('\n').filter((l) => /" 5\d\d /.test(l)).length;
    const page = await h.app.inject({
      url: `/api/uploads/${id}/entries?status=5xx&limit=1000`,
      headers: AUTH,
    });
    expect(page.json().entries).toHaveLength(expected5xx);
    const errors = await h.app.inject({
      url: `/api/uploads/${id}/entries?level=ERROR&limit=1000`,
      headers: AUTH,
    });
    expect(errors.json().entries).toHaveLength(expected5xx); // 5xx access lines are ERROR
    const bad = await h.app.inject({ url: `/api/uploads/${id}/entries?level=LOUD`, headers: AUTH });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('invalid_query');
    // A misspelt filter is refused, not ignored (ignored, it would answer every entry as if filtered).
    const typo = await h.app.inject({ url: `/api/uploads/${id}/entries?levle=ERROR`, headers: AUTH });
    expect(typo.statusCode).toBe(400);
    expect(typo.json().error).toEqual({ code: 'invalid_query', message: 'Unrecognized key: "levle"' });
  });

  it('serves the report as JSON, Markdown and HTML', async () => {
    const res = await upload(h, [{ filename: 'c.log', content: accessLog(120, 3) }]);
    const { id } = res.json().uploads[0];
    const json = await h.app.inject({ url: `/api/uploads/${id}/report`, headers: AUTH });
    expect(json.headers['content-type']).toContain('application/json');
    expect(json.json().counts.records).toBe(120);
    const md = await h.app.inject({ url: `/api/uploads/${id}/report?format=md`, headers: AUTH });
    expect(md.headers['content-type']).toContain('text/markdown');
    expect(md.body).toContain('120');
    const html = await h.app.inject({
      url: `/api/uploads/${id}/report`,
      headers: { ...AUTH, accept: 'text/html' },
    });
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.headers['content-security-policy']).toContain("default-src 'none'");
    expect(html.body).toContain('<svg');
    expect(html.body).not.toContain('<script');
  });

  it('returns the existing upload for the same content and options unless forced', async () => {
    const text = accessLog(50, 99);
    const first = (await upload(h, [{ filename: 'd.log', content: text }])).json().uploads[0];
    const again = await upload(h, [{ filename: 'd-again.log', content: text }], '');
    expect(again.statusCode).toBe(200);
    expect(again.json().uploads[0]).toMatchObject({ id: first.id, deduplicated: true, sha256: first.sha256 });
    const forced = await upload(h, [{ filename: 'd.log', content: text }], '?force=true');
    expect(forced.statusCode).toBe(202);
    expect(forced.json().uploads[0].id).not.toBe(first.id);
    expect(forced.json().uploads[0].deduplicated).toBe(false);
    // The same bytes asked for with another format or other options are another upload.
    const plain = await upload(h, [{ filename: 'd.log', content: text }], '', { format: 'raw' });
    expect(plain.statusCode).toBe(202);
    expect(plain.json().uploads[0]).toMatchObject({ deduplicated: false, format: 'raw' });
    const zoned = await upload(h, [{ filename: 'd.log', content: text }], '', {
      format: 'raw',
      tz: '+02:00',
    });
    expect(zoned.json().uploads[0].deduplicated).toBe(false);
    const plainAgain = await upload(h, [{ filename: 'd.log', content: text }], '', { format: 'raw' });
    expect(plainAgain.json().uploads[0]).toMatchObject({
      id: plain.json().uploads[0].id,
      deduplicated: true,
    });
  });

  it('accepts gzip (by magic bytes) and several files at once', async () => {
    const a = accessLog(80, 21);
    const b = accessLog(40, 22);
    const res = await upload(h, [
      { filename: 'a.log.gz', content: gzipSync(a) },
      { filename: 'b.log', content: b },
    ]);
    expect(res.statusCode).toBe(200);
    const [ua, ub] = res.json().uploads;
    expect(ua.compression).toBe('gzip');
    expect(ua.counts.lines).toBe(80);
    expect(ub.counts.lines).toBe(40);
  });

  it('lists uploads newest first with a cursor, and deletes one with its rows and files', async () => {
    const p1 = await h.app.inject({ url: '/api/uploads?limit=2', headers: AUTH });
    expect(p1.json().uploads).toHaveLength(2);
    const p2 = await h.app.inject({
      url: `/api/uploads?limit=2&cursor=${p1.json().nextCursor}`,
      headers: AUTH,
    });
    expect(p2.json().uploads[0].id < p1.json().uploads[1].id).toBe(true);

    const res = await upload(h, [{ filename: 'e.log', content: accessLog(30, 5) }]);
    const { id } = res.json().uploads[0];
    const del = await h.app.inject({ method: 'DELETE', url: `/api/uploads/${id}`, headers: AUTH });
    expect(del.statusCode).toBe(204);
    expect((await h.app.inject({ url: `/api/uploads/${id}`, headers: AUTH })).statusCode).toBe(404);
    const left = h.store.sqlite
      .prepare('SELECT count(*) AS n FROM entries WHERE source = (SELECT seq FROM uploads WHERE id = ?)')
      .get(id) as { n: number };
    expect(left.n).toBe(0);
    expect(readdirSync(join(h.dataDir, 'uploads')).some((f) => f.startsWith(id))).toBe(false);
  });
});

describe('auth and errors', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ workers: false, env: { MAX_UPLOAD_BYTES: '10000' } });
  });
  afterAll(() => h.close());

  it('keeps /health open and everything under /api behind a token', async () => {
    expect((await h.app.inject({ url: '/health' })).statusCode).toBe(200);
    const none = await h.app.inject({ url: '/api/uploads' });
    expect(none.statusCode).toBe(401);
    expect(none.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    const wrong = await h.app.inject({
      url: '/api/uploads',
      headers: { authorization: 'Bearer nope-nope-nope-nope' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(
      (await h.app.inject({ url: '/admin/queues', headers: { authorization: 'Bearer nope' } })).statusCode,
    ).toBe(401);
  });

  it('answers 404 for unknown uploads and routes', async () => {
    const res = await h.app.inject({ url: '/api/uploads/nope', headers: AUTH });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('upload_not_found');
    expect((await h.app.inject({ url: '/api/nothing', headers: AUTH })).json().error.code).toBe('not_found');
  });

  it('refuses an upload over MAX_UPLOAD_BYTES with 413 and leaves nothing behind', async () => {
    const res = await upload(h, [{ filename: 'big.log', content: 'x'.repeat(20_000) }], '');
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('payload_too_large');
    const dir = join(h.dataDir, 'uploads');
    expect(readdirSync(dir)).toEqual([]);
    const rows = h.store.sqlite.prepare('SELECT count(*) AS n FROM uploads').get() as { n: number };
    expect(rows.n).toBe(0);
  });

  it('refuses a request without multipart, an empty file, a binary file and a truncated gzip', async () => {
    const plain = await h.app.inject({
      method: 'POST',
      url: '/api/uploads',
      headers: { ...AUTH, 'content-type': 'text/plain' },
      payload: 'hi',
    });
    expect(plain.statusCode).toBe(415);
    const empty = await upload(h, [{ filename: 'empty.log', content: '' }], '');
    expect(empty.statusCode).toBe(422);
    expect(empty.json().error.code).toBe('empty_file');
    const binary = await upload(
      h,
      [{ filename: 'x.bin', content: Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 7)) }],
      '',
    );
    expect(binary.statusCode).toBe(415);
    const gz = gzipSync(accessLog(100));
    const truncated = await upload(h, [{ filename: 't.gz', content: gz.subarray(0, gz.length - 20) }], '');
    expect(truncated.statusCode).toBe(422);
    expect(truncated.json().error.message).toMatch(/gzip/);
    expect(readdirSync(join(h.dataDir, 'uploads'))).toEqual([]);
  });

  it('rejects a bad option with 422 naming it', async () => {
    const res = await upload(h, [{ filename: 'a.log', content: 'hello\n' }], '', {
      clean: '{"minLevel":"LOUD"}',
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.message).toContain('clean.minLevel');
    const fmt = await upload(h, [{ filename: 'a.log', content: 'hello\n' }], '', { format: 'nope' });
    expect(fmt.statusCode).toBe(422);
    expect(fmt.json().error.code).toBe('invalid_format');
    // Also when the same content was uploaded before: options are checked before deduplication.
    expect((await upload(h, [{ filename: 'a.log', content: 'hello\n' }], '')).statusCode).toBe(202);
    const again = await upload(h, [{ filename: 'a.log', content: 'hello\n' }], '', { format: 'nope' });
    expect(again.statusCode).toBe(422);
    const wl = await upload(h, [{ filename: 'a.log', content: 'hello\n' }], '', {
      watchlist: 'wl_000000000000',
    });
    expect(wl.statusCode).toBe(422);
    // The format is a form field; as a query parameter it is refused, not silently ignored.
    const uploadsBefore = readdirSync(join(h.dataDir, 'uploads')).length;
    const inQuery = await upload(h, [{ filename: 'b.log', content: 'other\n' }], '?format=nope');
    expect(inQuery.statusCode).toBe(400);
    expect(inQuery.json().error).toEqual({ code: 'invalid_query', message: 'Unrecognized key: "format"' });
    expect(readdirSync(join(h.dataDir, 'uploads'))).toHaveLength(uploadsBefore);
  });
});
