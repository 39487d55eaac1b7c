import { createHash } from 'node:crypto';
import { type FileHandle, open } from 'node:fs/promises';
import { Writable } from 'node:stream';

/** Bytes held before they are written out; a multipart parser hands over pieces of about 16 KiB. */
const HIGH_WATER_MARK = 1024 * 1024;
/**
 * Bytes written between flushes started while the upload still arrives: the disk writes the file back as it
 * grows, so the sync before the sink finishes waits for the tail only.
 */
const FLUSH_EVERY_BYTES = 32 * 1024 * 1024;

/**
 * Writes a stream to a file while hashing and counting it, in one stream step. Pieces that arrive while a
 * write is in flight are joined and written with one call, and each batch is hashed while its write runs,
 * so a piece costs neither a trip through two streams nor a file write of its own. The file is synced to
 * the disk before the stream finishes, so a finished sink's bytes survive an OS crash.
 */
export class HashingFileSink extends Writable {
  readonly hash = createHash('sha256');
  bytes = 0;
  private handle: FileHandle | null = null;
  private unflushed = 0;
  /** The flush in flight, if any; it does not hold up the writes behind it. */
  private flushing: Promise<void> | null = null;

  constructor(private readonly path: string) {
    super({ highWaterMark: HIGH_WATER_MARK, decodeStrings: true });
  }

  override _construct(done: (err?: Error | null) => void): void {
    open(this.path, 'w').then(
      (handle) => {
        this.handle = handle;
        done();
      },
      (err: Error) => done(err),
    );
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    this.writeOut([chunk], done);
  }

  override _writev(chunks: { chunk: Buffer }[], done: (err?: Error | null) => void): void {
    this.writeOut(
      chunks.map((c) => c.chunk),
      done,
    );
  }

  override _final(done: (err?: Error | null) => void): void {
    this.syncAndClose().then(() => done(), done);
  }

  override _destroy(err: Error | null, done: (err?: Error | null) => void): void {
    this.closeHandle().then(
      () => done(err),
      () => done(err),
    );
  }

  /** Starts the write first and hashes while the file system works on it, so the two overlap. */
  private writeOut(pieces: Buffer[], done: (err?: Error | null) => void): void {
    const data = pieces.length === 1 ? (pieces[0] as Buffer) : Buffer.concat(pieces);
    const written = this.writeAll(data);
    this.hash.update(data);
    this.bytes += data.length;
    written.then(() => {
      this.unflushed += data.length;
      if (this.unflushed >= FLUSH_EVERY_BYTES && !this.flushing) this.startFlush();
      done();
    }, done);
  }

  private startFlush(): void {
    this.unflushed = 0;
    const flush = (this.handle as FileHandle).datasync();
    // A failed flush is not lost: the sync in _final fails the same way and fails the stream.
    this.flushing = flush.then(
      () => undefined,
      () => undefined,
    );
    void this.flushing.then(() => {
      this.flushing = null;
    });
  }

  private async syncAndClose(): Promise<void> {
    await this.flushing;
    await (this.handle as FileHandle).sync();
    await this.closeHandle();
  }

  private async writeAll(data: Buffer): Promise<void> {
    const handle = this.handle as FileHandle;
    let offset = 0;
    while (offset < data.length) {
      const { bytesWritten } = await handle.write(data, offset, data.length - offset);
      offset += bytesWritten;
    }
  }

  private async closeHandle(): Promise<void> {
    await this.flushing; // a handle is not closed under its own flush
    const handle = this.handle;
    this.handle = null;
    await handle?.close();
  }
}
