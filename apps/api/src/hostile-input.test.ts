import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { GZIP_MAX_RATIO } from '@logsift/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, type Harness, multipart, startHarness } from './test-support/harness.js';

/** Everything under the data directory, as relative paths (to see that nothing lands outside uploads/). */
function tree(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tree(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

describe('hostile input', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { CHUNK_BYTES: '8192' } });
  });
  afterAll(() => h.close());

  const post = (url: string, contentType: string, payload: string | Buffer) =>
    h.app.inject({ method: 'POST', url, headers: { ...AUTH, 'content-type': contentType }, payload });
  async function upload(files: Parameters<typeof multipart>[0], query = '', fields = {}) {
    const body = multipart(files, fields);
    return h.app.inject({
      method: 'POST',
      url: `/api/uploads${query}`,
      headers: { ...AUTH, ...body.headers },
      payload: body.payload,
    });
  }
  const rows = () => (h.store.sqlite.prepare('SELECT count(*) AS n FROM uploads').get() as { n: number }).n;
  const uploadsDir = () => join(h.dataDir, 'uploads');

  it('answers malformed multipart with 400 and keeps nothing', async () => {
    const b = 'XyZ';
    const type = `multipart/form-data; boundary=${b}`;
    const cases: [string, string, string][] = [
      ['no boundary', 'multipart/form-data', 'hello'],
      [
        'cut before the end',
        type,
        `--${b}\r\nContent-Disposition: form-data; name="file"; filename="a.log"\r\n\r\nhi\n`,
      ],
      ['no boundary in the body', type, 'complete garbage'],
      ['a part without headers', type, `--${b}\r\n\r\nhello\r\n--${b}--\r\n`],
      [
        'a broken part header',
        type,
        `--${b}\r\nContent-Disposition form-data name=file\r\n\r\nhi\r\n--${b}--\r\n`,
      ],
    ];
    for (const [name, contentType, payload] of cases) {
      const res = await post('/api/uploads', contentType, payload);
      expect(res.statusCode, name).toBe(400);
      expect(res.json().error.code, name).toBe('bad_request');
    }
    expect(readdirSync(uploadsDir())).toEqual([]);
    expect(rows()).toBe(0);
  });

  it('never names a stored file after the client: ../, NUL, bidi overrides and long names', async () => {
    const names = [
      '../../../etc/passwd',
      'a\u0000b.log',
      'x\u202egol.exe',
      'é🚀\u2066名前.log',
      `${'n'.repeat(5000)}.log`,
    ];
    const shown = ['passwd', 'ab.log', 'xgol.exe', 'é🚀名前.log', 'n'.repeat(255)];
    for (const [i, filename] of names.entries()) {
      const res = await upload([{ filename, content: `line ${i}\n` }], '?wait=true');
      expect(res.statusCode).toBe(200);
      const u = res.json().uploads[0];
      expect(u.filename).toBe(shown[i]);
      const row = h.store.sqlite.prepare('SELECT stored_path AS p FROM uploads WHERE id = ?').get(u.id) as {
        p: string;
      };
      expect(row.p).toBe(join(uploadsDir(), `${u.id}.log`));
    }
    const ids = (h.store.sqlite.prepare('SELECT id FROM uploads ORDER BY id').all() as { id: string }[]).map(
      (r) => r.id,
    );
    expect(
      tree(h.dataDir)
        .filter((p) => !p.startsWith('logsift.db') && !p.startsWith('spool.db') && p !== 'token')
        .sort(),
    ).toEqual(
      ids
        .flatMap((id) => [
          `reports/${id}/report.html`,
          `reports/${id}/report.json`,
          `reports/${id}/report.md`,
          `uploads/${id}.log`,
        ])
        .sort(),
    );
  });

  it('refuses more files in one request than the multipart limit (20) with 413 and keeps none', async () => {
    const before = readdirSync(uploadsDir());
    const files = Array.from({ length: 21 }, (_, i) => ({ filename: `f${i}.log`, content: `many ${i}\n` }));
    const res = await upload(files);
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('payload_too_large');
    expect(readdirSync(uploadsDir())).toEqual(before);
  });

  it('refuses a gzip bomb (expansion over the ratio cap) with 413 and keeps nothing', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 'a'), { level: 9 });
    expect((64 * 1024 * 1024) / bomb.length).toBeGreaterThan(GZIP_MAX_RATIO);
    const before = readdirSync(uploadsDir());
    const res = await upload([{ filename: 'bomb.log.gz', content: bomb }]);
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toEqual({
      code: 'payload_too_large',
      message: expect.stringContaining('gzip bomb'),
    });
    expect(readdirSync(uploadsDir())).toEqual(before);
    // Under the cap, a gzip file is fine: 1,472,000 bytes of text in 8,041 (183 times less).
    const text = Buffer.from(
      `${Array.from({ length: 40_000 }, (_, i) => `2024-01-01T00:00:00Z INFO request ${i % 50}`).join('\n')}\n`,
    );
    const ok = await upload([{ filename: 'fine.log.gz', content: gzipSync(text) }], '?wait=true');
    expect(ok.statusCode).toBe(200);
    expect(ok.json().uploads[0].counts.lines).toBe(40_000);
  });

  it('parses deeply nested and oversized JSON bodies into a 4xx, never a crash', async () => {
    const deep = `{"name":${'['.repeat(100_000)}${']'.repeat(100_000)},"pattern":"<Content>"}`;
    const res = await post('/api/formats', 'application/json', deep);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('bad_request');
    const big = await post(
      '/api/formats',
      'application/json',
      JSON.stringify({ name: 'x', pattern: 'a'.repeat(2 * 1024 * 1024) }),
    );
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('payload_too_large');
    const nestedOption = await upload([{ filename: 'a.log', content: 'x\n' }], '', {
      clean: `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`,
    });
    expect(nestedOption.statusCode).toBe(422);
    expect(nestedOption.json().error.code).toBe('invalid_option');
    expect((await h.app.inject({ url: '/health' })).statusCode).toBe(200);
  });

  it('binds query parameters: SQL fragments match literally and change nothing', async () => {
    const lines = [
      "2024-01-01T00:00:00Z INFO [api] name is ' OR '1'='1",
      '2024-01-01T00:00:01Z INFO [api] ok; DROP TABLE entries; --',
      '2024-01-01T00:00:02Z INFO [api] plain line',
    ];
    const res = await upload(
      [{ filename: 'sql.log', content: `${lines.join('\n')}\n` }],
      '?wait=true&force=true',
    );
    const id = res.json().uploads[0].id;
    const entries = (query: string) =>
      h.app.inject({ url: `/api/uploads/${id}/entries?${query}`, headers: AUTH });
    const q = async (query: string) =>
      (await entries(query)).json().entries.map((e: { message: string }) => e.message);
    expect(await q(`q=${encodeURIComponent("' OR '1'='1")}`)).toEqual(["name is ' OR '1'='1"]);
    expect(await q(`q=${encodeURIComponent('; DROP TABLE entries; --')}`)).toEqual([
      'ok; DROP TABLE entries; --',
    ]);
    expect(await q(`q=${encodeURIComponent("%' OR 1=1 --")}`)).toEqual([]);
    expect(await q(`service=${encodeURIComponent("api' OR '1'='1")}`)).toEqual([]);
    expect(await q(`template=${encodeURIComponent("x' UNION SELECT * FROM uploads --")}`)).toEqual([]);
    for (const bad of [
      'cursor=1%20OR%201%3D1',
      'limit=1;DROP%20TABLE%20uploads',
      "level=INFO'--",
      'status=5xx%20OR%201=1',
    ]) {
      const r = await entries(bad);
      expect(r.statusCode, bad).toBe(400);
      expect(r.json().error.code, bad).toBe('invalid_query');
    }
    expect(await q('')).toHaveLength(3);
    expect(
      h.store.sqlite.prepare("SELECT name FROM sqlite_master WHERE name IN ('entries', 'uploads')").all(),
    ).toHaveLength(2);
  });

  it('escapes log content in the HTML report, which carries a strict Content-Security-Policy', async () => {
    const payload = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    const text = Array.from(
      { length: 30 },
      (_, i) => `2024-01-01T00:00:${String(i).padStart(2, '0')}Z ERROR [<b>svc</b>] ${payload} ${i}`,
    );
    const res = await upload(
      [{ filename: '<script>x</script>.log', content: `${text.join('\n')}\n` }],
      '?wait=true&force=true',
    );
    const id = res.json().uploads[0].id;
    const html = await h.app.inject({ url: `/api/uploads/${id}/report?format=html`, headers: AUTH });
    expect(html.statusCode).toBe(200);
    // Only the page's own markup is markup: the payload's tags arrive as text (an escaped `onerror=` is text).
    expect(html.body).not.toMatch(/<script|<img|<b>/i);
    expect(html.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html.body).toContain('&lt;b&gt;svc&lt;/b&gt;');
    const csp = html.headers['content-security-policy'] as string;
    expect(csp).toMatch(/^default-src 'none';/);
    expect(csp).not.toContain('script-src');
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("form-action 'none'");
  });
});
