import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadLoghubFormats, loghubDir } from '@logsift/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, type Harness, multipart, startHarness } from './test-support/harness.js';

const formats = loadLoghubFormats();
const sample = (system: string) => readFileSync(join(loghubDir(), system, `${system}_2k.log`));

describe('formats: saved, given inline, detected', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
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
    return res;
  }

  it('saves a custom format, lists it, and refuses duplicates, built-in names and broken patterns', async () => {
    const post = (payload: object) =>
      h.app.inject({ method: 'POST', url: '/api/formats', headers: AUTH, payload });
    const created = await post({ name: 'hdfs', pattern: formats.HDFS, description: 'Hadoop HDFS' });
    expect(created.statusCode).toBe(201);
    expect((await post({ name: 'hdfs', pattern: formats.HDFS })).statusCode).toBe(409);
    expect((await post({ name: 'combined', pattern: formats.HDFS })).statusCode).toBe(409);
    const broken = await post({ name: 'broken', pattern: '<Date> (<Content>' });
    expect(broken.statusCode).toBe(422);
    expect(broken.json().error.code).toBe('invalid_format');
    const list = (await h.app.inject({ url: '/api/formats', headers: AUTH })).json();
    expect(list.saved.map((f: { name: string }) => f.name)).toEqual(['hdfs']);
    expect(list.builtin.map((f: { name: string }) => f.name)).toContain('combined');
  });

  it('parses every line of a Loghub sample with a saved format, by name and by detection', async () => {
    const byName = (await upload(sample('HDFS'), { format: 'hdfs' })).json().uploads[0];
    expect(byName.status).toBe('completed');
    expect(byName.format).toBe('hdfs');
    expect(byName.counts).toMatchObject({ lines: 2000, parsed: 2000, unparsed: 0 });
    const detected = (await upload(sample('HDFS'))).json().uploads[0];
    expect(detected.format).toBe('hdfs');
    expect(detected.formatConfidence).toBe(1);
  });

  it('takes a pattern given with the upload', async () => {
    const u = (await upload(sample('Linux'), { format: formats.Linux })).json().uploads[0];
    expect(u.format).toBe('custom');
    expect(u.counts).toMatchObject({ lines: 2000, parsed: 2000, unparsed: 0 });
  });

  it('ingests a mixed file with an honest understood share', async () => {
    const json = Array.from({ length: 30 }, (_, i) =>
      JSON.stringify({ time: 1700000000000 + i, level: 'info', msg: `m${i}` }),
    );
    const junk = Array.from({ length: 10 }, (_, i) => `%%% not a log line ${i} %%%`);
    const u = (await upload(`${[...json, ...junk].join('\n')}\n`)).json().uploads[0];
    expect(u.status).toBe('completed');
    expect(u.format).toBe('json');
    expect(u.counts).toMatchObject({ lines: 40, records: 40, parsed: 30, unparsed: 10 });
    expect(u.report.counts.understoodShare).toBeCloseTo(0.75, 5);
  });
});
