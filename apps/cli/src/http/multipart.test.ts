import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { buildMultipartBody, type FormFile, fileFromPath, quoteParam } from './multipart.js';

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const memoryFile = (filename: string, content: Buffer, chunkSize = 3): FormFile => ({
  field: 'file',
  filename,
  size: content.length,
  open: () => {
    const pieces: Buffer[] = [];
    for (let i = 0; i < content.length; i += chunkSize) pieces.push(content.subarray(i, i + chunkSize));
    return Readable.from(pieces);
  },
});

const dir = mkdtempSync(join(tmpdir(), 'logsift-cli-multipart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('buildMultipartBody', () => {
  it('produces the RFC 7578 body byte for byte: fields first, then the file, then the closing boundary', async () => {
    const body = buildMultipartBody(
      [
        { name: 'format', value: 'json' },
        { name: 'clean', value: '{"minLevel":"INFO"}' },
      ],
      [memoryFile('app.log', Buffer.from('line one\nline two\n'))],
      'B0UNDARY',
    );
    const expected =
      '--B0UNDARY\r\nContent-Disposition: form-data; name="format"\r\n\r\njson\r\n' +
      '--B0UNDARY\r\nContent-Disposition: form-data; name="clean"\r\n\r\n{"minLevel":"INFO"}\r\n' +
      '--B0UNDARY\r\nContent-Disposition: form-data; name="file"; filename="app.log"\r\n' +
      'Content-Type: application/octet-stream\r\n\r\nline one\nline two\n\r\n' +
      '--B0UNDARY--\r\n';
    const bytes = await collect(body.stream());
    expect(bytes.toString('utf8')).toBe(expected);
    expect(body.contentLength).toBe(Buffer.byteLength(expected));
    expect(body.contentType).toBe('multipart/form-data; boundary=B0UNDARY');
  });

  it('counts multi-byte file names and values in bytes, not characters', async () => {
    const body = buildMultipartBody(
      [{ name: 'service', value: 'paiements-€' }],
      [memoryFile('journal-été.log', Buffer.from('ü\n'))],
      'b',
    );
    const bytes = await collect(body.stream());
    expect(bytes.length).toBe(body.contentLength);
    expect(bytes.toString('utf8')).toContain('filename="journal-été.log"');
  });

  it('streams a file from disk with Content-Length equal to the bytes produced, and reports them as sent', async () => {
    const path = join(dir, 'big.log');
    const content = Buffer.alloc(300_000);
    for (let i = 0; i < content.length; i++) content[i] = 97 + (i % 26);
    writeFileSync(path, content);
    const file = await fileFromPath(path);
    expect(file).toMatchObject({ field: 'file', filename: 'big.log', size: 300_000 });
    const body = buildMultipartBody([], [file], 'xyz');
    let reported = 0;
    let pieces = 0;
    const bytes = await collect(
      body.stream((n) => {
        reported += n;
        pieces++;
      }),
    );
    expect(bytes.length).toBe(body.contentLength);
    expect(reported).toBe(body.contentLength);
    // The file arrives in several reads (64 KiB each), never as one buffer.
    expect(pieces).toBeGreaterThan(4);
    const start = bytes.indexOf('\r\n\r\n') + 4;
    expect(bytes.subarray(start, start + content.length).equals(content)).toBe(true);
    expect(bytes.subarray(start + content.length).toString()).toBe('\r\n--xyz--\r\n');
  });

  it('sends an empty file as an empty part', async () => {
    const path = join(dir, 'empty.log');
    writeFileSync(path, '');
    const body = buildMultipartBody([], [await fileFromPath(path)], 'e');
    const bytes = await collect(body.stream());
    expect(bytes.toString()).toBe(
      '--e\r\nContent-Disposition: form-data; name="file"; filename="empty.log"\r\n' +
        'Content-Type: application/octet-stream\r\n\r\n\r\n--e--\r\n',
    );
    expect(bytes.length).toBe(body.contentLength);
  });

  it('sends only the bytes a file had when it was opened, so a growing log keeps its promised length', async () => {
    const path = join(dir, 'growing.log');
    writeFileSync(path, 'first\n');
    const file = await fileFromPath(path);
    writeFileSync(path, 'first\nsecond\n');
    const body = buildMultipartBody([], [file], 'g');
    const bytes = await collect(body.stream());
    expect(bytes.length).toBe(body.contentLength);
    expect(bytes.toString()).toContain('\r\n\r\nfirst\n\r\n--g--');
  });

  it('fails rather than send fewer bytes than Content-Length promised', async () => {
    const shrunk: FormFile = { ...memoryFile('short.log', Buffer.from('abc')), size: 10 };
    const body = buildMultipartBody([], [shrunk], 's');
    await expect(collect(body.stream())).rejects.toThrow(
      'short.log changed size while it was being sent (10 bytes expected)',
    );
  });

  it('quotes parameters as browsers do', () => {
    expect(quoteParam('a"b\r\nc.log')).toBe('"a%22b%0D%0Ac.log"');
    expect(() => buildMultipartBody([], [], 'has space')).toThrow('invalid boundary');
  });
});
