import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, TOKEN } from './test-support/harness.js';
import { rawClient } from './test-support/raw-http.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function uploadHead(boundary: string, contentLength: number | string): string {
  return (
    'POST /api/uploads HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
    `Authorization: Bearer ${TOKEN}\r\n` +
    `Content-Type: multipart/form-data; boundary=${boundary}\r\n` +
    `Content-Length: ${contentLength}\r\n\r\n`
  );
}

const partHead = (boundary: string) =>
  `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="slow.log"\r\n\r\n`;

describe('slow and lying clients', () => {
  let h: Harness;
  let port: number;
  beforeAll(async () => {
    h = await startHarness({
      workers: false,
      env: { IDLE_TIMEOUT_MS: '500', UPLOAD_WAIT_MS: '1500', MAX_UPLOAD_BYTES: String(1024 * 1024) },
    });
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    port = (h.app.server.address() as { port: number }).port;
  });
  afterAll(() => h.close());

  it('refuses a claimed Content-Length of 10 GB before reading a byte of the body', async () => {
    const c = rawClient(port);
    c.socket.write(uploadHead('b0', 10 * 1024 ** 3));
    const closedAfter = await c.closed;
    expect(c.received()).toMatch(/^HTTP\/1\.1 413 /);
    expect(c.received()).toContain('"code":"payload_too_large"');
    expect(c.received().toLowerCase()).toContain('connection: close');
    expect(closedAfter).toBeLessThan(400); // answered at once, not after the idle timeout
    expect(existsSync(join(h.dataDir, 'uploads'))).toBe(false); // nothing was even opened
  });

  it('cuts a connection that stalls mid-body after the idle timeout and keeps no partial file', async () => {
    const boundary = `b${randomBytes(4).toString('hex')}`;
    const c = rawClient(port);
    c.socket.write(uploadHead(boundary, 100_000));
    c.socket.write(`${partHead(boundary)}2024-01-01T00:00:00Z INFO first line\n`);
    await sleep(200);
    expect(readdirSync(join(h.dataDir, 'uploads')).filter((n) => n.endsWith('.part'))).toHaveLength(1);
    const closedAfter = await c.closed; // ...and then nothing more is sent
    expect(closedAfter).toBeGreaterThanOrEqual(500);
    expect(closedAfter).toBeLessThan(3_000);
    await sleep(100);
    expect(readdirSync(join(h.dataDir, 'uploads'))).toEqual([]);
    expect((h.store.sqlite.prepare('SELECT count(*) AS n FROM uploads').get() as { n: number }).n).toBe(0);
  });

  it('lets a slow but moving upload finish, however long it takes in total', async () => {
    const boundary = `b${randomBytes(4).toString('hex')}`;
    const lines = Array.from(
      { length: 20 },
      (_, i) => `2024-01-01T00:00:${String(i).padStart(2, '0')}Z INFO slow ${i}\n`,
    );
    const body = [partHead(boundary), ...lines, `\r\n--${boundary}--\r\n`];
    const length = body.reduce((n, s) => n + Buffer.byteLength(s), 0);
    const c = rawClient(port);
    c.socket.write(uploadHead(boundary, length));
    const started = Date.now();
    for (const piece of body) {
      c.socket.write(piece);
      await sleep(150); // well within the 500 ms idle timeout each time; 3.3 s in all
    }
    await new Promise<void>((resolve) => {
      const check = () => (c.received().includes('"uploads"') ? resolve() : setTimeout(check, 20));
      check();
    });
    expect(Date.now() - started).toBeGreaterThan(3 * 1000);
    expect(c.received()).toMatch(/^HTTP\/1\.1 202 /);
    c.socket.destroy();
  });

  it('does not cut ?wait=true while it waits for the report past the idle timeout', async () => {
    const boundary = `b${randomBytes(4).toString('hex')}`;
    const body = `${partHead(boundary)}2024-01-01T00:00:00Z INFO waited\n\r\n--${boundary}--\r\n`;
    const c = rawClient(port);
    const started = Date.now();
    c.socket.write(
      uploadHead(boundary, Buffer.byteLength(body)).replace(
        '/api/uploads',
        '/api/uploads?wait=true&force=true',
      ) + body,
    );
    await new Promise<void>((resolve) => {
      const check = () => (c.received().includes('"uploads"') ? resolve() : setTimeout(check, 20));
      check();
    });
    // No workers: the report never comes, and the answer is the 202 after UPLOAD_WAIT_MS (1.5 s).
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_500);
    expect(c.received()).toMatch(/^HTTP\/1\.1 202 /);
    c.socket.destroy();
  });
});
