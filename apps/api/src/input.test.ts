import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, type Harness, multipart, startHarness } from './test-support/harness.js';

describe('what people actually upload', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { CHUNK_BYTES: '65536' } });
  });
  afterAll(() => h.close());

  async function upload(content: Buffer | string, fields: Record<string, string> = {}) {
    const body = multipart([{ filename: 'x.log', content }], fields);
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/uploads?wait=true&force=true',
      headers: { ...AUTH, ...body.headers },
      payload: body.payload,
    });
    expect(res.statusCode).toBe(200);
    return res.json().uploads[0];
  }
  const entries = async (id: string) =>
    (await h.app.inject({ url: `/api/uploads/${id}/entries?limit=1000&dropped=true`, headers: AUTH })).json()
      .entries;

  const plain = [
    '2024-03-01 12:00:00,123 INFO [api] started',
    '2024-03-01 12:00:01,456 WARN [api] slow: 1.5 s',
    '2024-03-01 12:00:02,789 ERROR [db] lost connection',
  ];

  it('reads UTF-16 with a BOM, and UTF-8 with a BOM and CRLF, as the same entries', async () => {
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(`${plain.join('\r\n')}\r\n`, 'utf16le'),
    ]);
    const a = await upload(utf16);
    const b = await upload(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${plain.join('\r\n')}\r\n`)]),
    );
    for (const u of [a, b]) {
      expect(u.status).toBe('completed');
      expect(u.format).toBe('plain');
      expect(u.counts).toMatchObject({ lines: 3, parsed: 3, unparsed: 0 });
      const e = await entries(u.id);
      expect(e.map((x: { message: string }) => x.message)).toEqual([
        'started',
        'slow: 1.5 s',
        'lost connection',
      ]);
      expect(e.map((x: { raw: string }) => x.raw)).toEqual(plain);
    }
  });

  it('normalises zone-less timestamps with the tz option', async () => {
    const utc = await upload(`${plain.join('\n')}\n`);
    const paris = await upload(`${plain.join('\n')}\n`, { tz: 'Europe/Paris' });
    expect((await entries(utc.id))[0].timestamp).toBe('2024-03-01T12:00:00.123Z');
    const e = (await entries(paris.id))[0];
    expect(e.timestamp).toBe('2024-03-01T11:00:00.123Z'); // CET is UTC+1 in March before the switch
  });

  it('replaces and counts invalid UTF-8, flagging the entry', async () => {
    const bad = Buffer.concat([
      Buffer.from('2024-03-01 12:00:00,000 INFO [api] caf'),
      Buffer.from([0xe9, 0xff]),
      Buffer.from(' ok\n'),
    ]);
    const u = await upload(Buffer.concat([bad, Buffer.from(`${plain[1]}\n`)]));
    expect(u.status).toBe('completed');
    expect(u.report.cleaning.reasons.invalidUtf8).toBe(1);
    const e = await entries(u.id);
    expect(e[0].message).toBe('caf\uFFFD\uFFFD ok');
    expect(e[0].flags).toEqual(['invalidUtf8']);
  });

  it('survives a 10 MB line without a newline: stored cut, counted, the worker fine', async () => {
    const u = await upload(`${plain[0]}\n2024-03-01 12:00:05,000 INFO [api] ${'x'.repeat(10 * 1024 * 1024)}`);
    expect(u.status).toBe('completed');
    expect(u.counts).toMatchObject({ lines: 2, records: 2, parsed: 2 });
    const e = await entries(u.id);
    expect(e[1].message.length).toBeLessThan(1024 * 1024 + 100);
    expect(e[1].message.startsWith('xxxx')).toBe(true);
    // The next upload still processes: nothing stuck.
    expect((await upload(`${plain[2]}\n`)).status).toBe('completed');
  });
});
