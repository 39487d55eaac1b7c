import { createHash, randomBytes } from 'node:crypto';
import fs, { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { HashingFileSink } from './file-sink.js';
import { receiveFile } from './receive.js';

const dir = mkdtempSync(join(tmpdir(), 'logsift-sink-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The class of fs/promises file handles, whose `sync` the durability tests watch. */
const fileHandleProto = await (async () => {
  const handle = await open(dir, 'r');
  await handle.close();
  return Object.getPrototypeOf(handle) as { sync(): Promise<void>; datasync(): Promise<void> };
})();

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/** `count` pieces of `size` random bytes, as a multipart parser would hand them over. */
function pieces(count: number, size: number): Buffer[] {
  return Array.from({ length: count }, () => randomBytes(size));
}

describe('HashingFileSink', () => {
  it('writes, hashes and counts every piece, joining the ones that queue up', async () => {
    const input = pieces(500, 16 * 1024);
    const writev = vi.spyOn(HashingFileSink.prototype, '_writev');
    const sink = new HashingFileSink(join(dir, 'many.bin'));
    await pipeline(Readable.from(input), sink);
    const all = Buffer.concat(input);
    expect(readFileSync(join(dir, 'many.bin')).equals(all)).toBe(true);
    expect(sink.bytes).toBe(all.length);
    expect(sink.hash.digest('hex')).toBe(sha256(all));
    expect(writev).toHaveBeenCalled();
    const joined = writev.mock.calls.reduce((n, [chunks]) => n + chunks.length, 0);
    expect(joined).toBeGreaterThan(input.length / 2);
    writev.mockRestore();
  });

  it('flushes the file while it grows and syncs it before finishing', async () => {
    const input = pieces(5 * 64, 256 * 1024); // 80 MiB
    const datasync = vi.spyOn(fileHandleProto, 'datasync');
    const sync = vi.spyOn(fileHandleProto, 'sync');
    const sink = new HashingFileSink(join(dir, 'big.bin'));
    await pipeline(Readable.from(input), sink);
    expect(datasync.mock.calls.length).toBeGreaterThanOrEqual(1);
    expect(sync).toHaveBeenCalledTimes(1);
    expect(sink.hash.digest('hex')).toBe(sha256(Buffer.concat(input)));
    expect(readFileSync(join(dir, 'big.bin')).length).toBe(80 * 1024 * 1024);
    datasync.mockRestore();
    sync.mockRestore();
    rmSync(join(dir, 'big.bin'));
  });

  it('writes an empty stream as an empty file', async () => {
    const sink = new HashingFileSink(join(dir, 'empty.bin'));
    await pipeline(Readable.from([]), sink);
    expect(readFileSync(join(dir, 'empty.bin')).length).toBe(0);
    expect(sink.hash.digest('hex')).toBe(sha256(Buffer.alloc(0)));
  });

  it('fails when the file cannot be created', async () => {
    const sink = new HashingFileSink(join(dir, 'missing', 'x.bin'));
    await expect(pipeline(Readable.from([Buffer.from('a')]), sink)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('fails with the source when the source fails part way', async () => {
    async function* broken(): AsyncGenerator<Buffer> {
      yield Buffer.from('first\n');
      throw new Error('connection reset');
    }
    const sink = new HashingFileSink(join(dir, 'broken.bin'));
    await expect(pipeline(Readable.from(broken()), sink)).rejects.toThrow('connection reset');
    expect(sink.destroyed).toBe(true);
  });
});

describe('receiveFile', () => {
  it('stores a plain upload under its id with the hash of what was sent', async () => {
    const input = pieces(40, 16 * 1024).map((b) => Buffer.from(`${b.toString('hex')}\n`));
    const stored = await receiveFile(Readable.from(input), { dir, id: 'plain' });
    const all = Buffer.concat(input);
    expect(stored).toEqual({
      path: join(dir, 'plain.log'),
      sizeBytes: all.length,
      receivedBytes: all.length,
      sha256: sha256(all),
      compression: 'none',
    });
    expect(readFileSync(stored.path).equals(all)).toBe(true);
  });

  it('hashes the gzip bytes and stores them decompressed', async () => {
    const text = Buffer.from('GET / 200\n'.repeat(10_000));
    const gz = gzipSync(text);
    const stored = await receiveFile(Readable.from([gz]), { dir, id: 'zipped' });
    expect(stored.compression).toBe('gzip');
    expect(stored.sha256).toBe(sha256(gz));
    expect(stored.receivedBytes).toBe(gz.length);
    expect(readFileSync(stored.path).equals(text)).toBe(true);
  });

  it('leaves nothing behind when the upload breaks off', async () => {
    async function* broken(): AsyncGenerator<Buffer> {
      yield Buffer.from('first\n');
      throw new Error('connection reset');
    }
    await expect(receiveFile(Readable.from(broken()), { dir, id: 'cut' })).rejects.toThrow(
      'connection reset',
    );
    expect(readdirSync(dir).filter((n) => n.startsWith('cut'))).toEqual([]);
  });

  it('syncs the stored file and the directory holding its name before it resolves', async () => {
    const sync = vi.spyOn(fileHandleProto, 'sync');
    await receiveFile(Readable.from([Buffer.from('a line\n')]), { dir, id: 'synced' });
    expect(sync).toHaveBeenCalledTimes(2); // the file, then the directory after the rename
    sync.mockClear();
    const fsync = vi.spyOn(fs, 'fsync');
    await receiveFile(Readable.from([gzipSync(Buffer.from('a line\n'))]), { dir, id: 'synced-gz' });
    expect(sync).toHaveBeenCalledTimes(2); // the received bytes, the directory
    expect(fsync).toHaveBeenCalledTimes(1); // the decompressed file, by its write stream
    sync.mockRestore();
    fsync.mockRestore();
  });

  it('fails, leaving nothing behind, when the disk cannot sync the file', async () => {
    const sync = vi
      .spyOn(fileHandleProto, 'sync')
      .mockRejectedValueOnce(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' }));
    await expect(
      receiveFile(Readable.from([Buffer.from('a line\n')]), { dir, id: 'unsynced' }),
    ).rejects.toMatchObject({ code: 'EIO' });
    expect(readdirSync(dir).filter((n) => n.startsWith('unsynced'))).toEqual([]);
    sync.mockRestore();
  });
});
