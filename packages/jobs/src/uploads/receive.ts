import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { AppError } from '../errors.js';
import { syncPath } from './durable.js';
import { HashingFileSink } from './file-sink.js';

/** A gzip upload may expand at most this many times (gzip bombs reach 1000x and more). */
export const GZIP_MAX_RATIO = 200;
/** Bytes sniffed at the start of a file to decide gzip / UTF-16 / binary. */
const SNIFF_BYTES = 8 * 1024;
/** Share of NUL and other control bytes (besides tab, CR, LF, ESC, FF) in the sniffed head above which a file is binary. */
const BINARY_CONTROL_SHARE = 0.1;

export interface StoredFile {
  /** Where the file now lives, decompressed and in UTF-8. */
  path: string;
  /** Size of the stored (decompressed) file. */
  sizeBytes: number;
  /** Size of what the client sent. */
  receivedBytes: number;
  /** SHA-256 of what the client sent, hex. */
  sha256: string;
  compression: 'gzip' | 'none';
}

/** Files of uploads still being received (or abandoned by a crash): `<id>.part`, `.part.gunzip`, `.part.utf8`. */
export const PARTIAL_FILE = /\.part(\.gunzip|\.utf8)?$/;

/**
 * Removes partial files left in the uploads directory by a process that died while receiving (the API is
 * the only writer there, so at its start none is in use). Returns the names removed.
 */
export async function removePartialFiles(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const partial = names.filter((n) => PARTIAL_FILE.test(n));
  await Promise.all(partial.map((n) => rm(join(dir, n), { force: true })));
  return partial;
}

export function newUploadId(now = Date.now()): string {
  return `u${now.toString(36)}${randomBytes(5).toString('hex')}`;
}

/** Fails the stream once more than `limit` bytes passed. */
class ByteLimit extends Transform {
  private bytes = 0;
  constructor(
    private readonly limit: number,
    private readonly makeError: () => Error,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limit) done(this.makeError());
    else done(null, chunk);
  }
}

async function readHead(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buf, 0, SNIFF_BYTES, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

export function isGzip(head: Buffer): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** A head with many NUL / control bytes is not a text log (UTF-16 is recognised by its BOM before this). */
export function looksBinary(head: Buffer): boolean {
  if (head.length === 0) return false;
  let control = 0;
  for (const b of head) if (b < 0x20 && b !== 9 && b !== 10 && b !== 13 && b !== 12 && b !== 27) control++;
  return control / head.length > BINARY_CONTROL_SHARE;
}

export interface ReceiveOptions {
  /** Directory for stored files (created if missing). */
  dir: string;
  id: string;
  /** Hook for text re-encoding (UTF-16 -> UTF-8): given the decompressed head, a transform or null. */
  transcoder?: (head: Buffer) => Transform | null;
}

/**
 * Streams an upload to disk without holding it in memory: hashes it on the way, then, when it is gzip,
 * decompresses it (bounded by GZIP_MAX_RATIO) so later stages can split it into byte ranges. On any error
 * nothing is left behind. Size limits on the received bytes are the caller's (multipart limits). The stored
 * file and its name are synced to the disk before this resolves: an acknowledged upload survives an OS crash.
 */
export async function receiveFile(source: Readable, options: ReceiveOptions): Promise<StoredFile> {
  await mkdir(options.dir, { recursive: true });
  const part = join(options.dir, `${options.id}.part`);
  const final = join(options.dir, `${options.id}.log`);
  const sink = new HashingFileSink(part);
  try {
    await pipeline(source, sink);
    const sha256 = sink.hash.digest('hex');
    const head = await readHead(part);
    let compression: StoredFile['compression'] = 'none';
    if (isGzip(head)) {
      compression = 'gzip';
      const decompressed = `${part}.gunzip`;
      try {
        await pipeline(
          createReadStream(part),
          createGunzip(),
          new ByteLimit(
            Math.max(sink.bytes * GZIP_MAX_RATIO, 1024 * 1024),
            () =>
              new AppError(
                'payload_too_large',
                `gzip file expands more than ${GZIP_MAX_RATIO} times its size; refusing it as a likely gzip bomb`,
              ),
          ),
          createWriteStream(decompressed, { flush: true }),
        );
      } catch (err) {
        await rm(decompressed, { force: true });
        if (err instanceof AppError || isDiskFull(err)) throw err;
        throw new AppError('invalid_format', `gzip data is corrupt or truncated: ${(err as Error).message}`, {
          cause: err,
        });
      }
      await rename(decompressed, part);
    }
    const textHead = compression === 'gzip' ? await readHead(part) : head;
    const transcode = options.transcoder?.(textHead) ?? null;
    if (transcode) {
      const converted = `${part}.utf8`;
      await pipeline(createReadStream(part), transcode, createWriteStream(converted, { flush: true }));
      await rename(converted, part);
    } else if (looksBinary(textHead)) {
      throw new AppError(
        'unsupported_media_type',
        'the file looks binary (many NUL/control bytes), not a text log',
      );
    }
    const { size } = await stat(part);
    if (size === 0) throw new AppError('empty_file', 'the file is empty: there is nothing to process');
    await rename(part, final);
    await syncPath(options.dir);
    return { path: final, sizeBytes: size, receivedBytes: sink.bytes, sha256, compression };
  } catch (err) {
    await Promise.all([part, `${part}.gunzip`, `${part}.utf8`, final].map((p) => rm(p, { force: true })));
    if (isDiskFull(err)) {
      throw new AppError('storage_full', 'the server has no disk space left for this upload; retry later', {
        cause: err,
        retryAfter: 60,
      });
    }
    throw err;
  }
}

/** The file system is full (or the quota reached): the upload cannot be stored, through no fault of its own. */
export function isDiskFull(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}
