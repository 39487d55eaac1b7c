/** Streams a generated log to a writable (a file, stdout, a gzip stream), honouring backpressure. */
import type { Writable } from 'node:stream';
import { DEFAULT_BATCH_BYTES, generateLogBuffers } from './generate.js';
import type { GenerateOptions } from './options.js';

export interface WriteResult {
  lines: number;
  /** UTF-8 bytes written. */
  bytes: number;
}

/** Writes every line; resolves once the last chunk is handed to `writable` (it does not end the stream). */
export async function writeGeneratedLog(
  options: GenerateOptions,
  writable: Writable,
  batchBytes = DEFAULT_BATCH_BYTES,
): Promise<WriteResult> {
  let bytes = 0;
  for (const buffer of generateLogBuffers(options, batchBytes)) {
    bytes += buffer.length;
    if (!writable.write(buffer)) await drained(writable);
  }
  return { lines: options.lines, bytes };
}

/** Resolves on 'drain'; rejects if the stream fails or closes first, rather than waiting forever. */
function drained(writable: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (err?: unknown) => {
      writable.off('drain', onDrain);
      writable.off('error', onError);
      writable.off('close', onClose);
      if (err === undefined) resolve();
      else reject(err);
    };
    const onDrain = () => settle();
    const onError = (err: unknown) => settle(err);
    const onClose = () => settle(new Error('stream closed before the generated log was written'));
    writable.on('drain', onDrain);
    writable.on('error', onError);
    writable.on('close', onClose);
  });
}
