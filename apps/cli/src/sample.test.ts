import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeHead, readHead, SAMPLE_BYTES, sampleLines } from './sample.js';

const dir = mkdtempSync(join(tmpdir(), 'logsift-cli-sample-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sampleLines', () => {
  it('drops blank lines, CRs, a byte-order mark and the line the sample cut', () => {
    const bytes = Buffer.from('\uFEFFone\r\n\n  \ntwo\nthree-cut', 'utf8');
    expect(sampleLines({ bytes, truncated: true })).toEqual(['one', 'two']);
    expect(sampleLines({ bytes, truncated: false })).toEqual(['one', 'two', 'three-cut']);
  });

  it('keeps at most the requested number of lines', () => {
    const bytes = Buffer.from(Array.from({ length: 500 }, (_, i) => `line ${i}`).join('\n'));
    const lines = sampleLines({ bytes, truncated: false });
    expect(lines.length).toBe(200);
    expect(lines.at(-1)).toBe('line 199');
  });

  it('decodes UTF-16 files marked with a byte-order mark', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a é\nb', 'utf16le')]);
    expect(decodeHead(le)).toBe('a é\nb');
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('a é\nb', 'utf16le').swap16()]);
    expect(decodeHead(be)).toBe('a é\nb');
  });
});

describe('readHead', () => {
  const text = Array.from({ length: 20_000 }, (_, i) => `2024-01-15T10:00:00Z INFO [api] request ${i}`).join(
    '\n',
  );

  it('reads the first 64 KiB of a plain file and says it was cut', async () => {
    const path = join(dir, 'plain.log');
    writeFileSync(path, text);
    const head = await readHead(path);
    expect(head).toMatchObject({ truncated: true, gzip: false });
    expect(head.bytes.equals(Buffer.from(text).subarray(0, SAMPLE_BYTES))).toBe(true);
  });

  it('reads a gzip file through gunzip', async () => {
    const path = join(dir, 'plain.log.gz');
    writeFileSync(path, gzipSync(text));
    const head = await readHead(path);
    expect(head).toMatchObject({ truncated: true, gzip: true });
    expect(head.bytes.equals(Buffer.from(text).subarray(0, SAMPLE_BYTES))).toBe(true);
  });

  it('reads a small file whole', async () => {
    const path = join(dir, 'small.log.gz');
    writeFileSync(path, gzipSync('a\nb\n'));
    const head = await readHead(path);
    expect(head).toMatchObject({ truncated: false, gzip: true });
    expect(head.bytes.toString()).toBe('a\nb\n');
  });
});
