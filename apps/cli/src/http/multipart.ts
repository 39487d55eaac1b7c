/**
 * A multipart/form-data body (RFC 7578) built as a stream with its exact length known up front: the
 * preamble of each part, the file read from disk chunk by chunk, the closing boundary. A file is never
 * held in memory whole, and the server learns the size from Content-Length.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';

export interface FormField {
  name: string;
  value: string;
}

export interface FormFile {
  /** The form field, "file" for the logsift API. */
  field: string;
  /** The name the server records. */
  filename: string;
  /** Exact byte count `open()` yields; the body's length is computed from it. */
  size: number;
  contentType?: string;
  open(): AsyncIterable<Buffer | Uint8Array | string>;
}

export interface MultipartBody {
  boundary: string;
  /** The request's Content-Type header value. */
  contentType: string;
  /** Exact length in bytes of what `stream()` produces. */
  contentLength: number;
  /** A fresh body each call; `onBytes` is told the byte count of each piece as it is handed on. */
  stream(onBytes?: (bytes: number) => void): Readable;
}

const CRLF = '\r\n';

/** Quotes a header parameter the way browsers do (WHATWG): `"`, CR and LF are percent-encoded. */
export function quoteParam(value: string): string {
  return `"${value.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}"`;
}

function fieldHead(boundary: string, field: FormField): Buffer {
  return Buffer.from(
    `--${boundary}${CRLF}Content-Disposition: form-data; name=${quoteParam(field.name)}${CRLF}${CRLF}`,
    'utf8',
  );
}

function fileHead(boundary: string, file: FormFile): Buffer {
  return Buffer.from(
    `--${boundary}${CRLF}` +
      `Content-Disposition: form-data; name=${quoteParam(file.field)}; filename=${quoteParam(file.filename)}${CRLF}` +
      `Content-Type: ${file.contentType ?? 'application/octet-stream'}${CRLF}${CRLF}`,
    'utf8',
  );
}

export function newBoundary(): string {
  return `logsift-${randomBytes(16).toString('hex')}`;
}

/** Fields come first, then files, in the order given. */
export function buildMultipartBody(
  fields: readonly FormField[],
  files: readonly FormFile[],
  boundary: string = newBoundary(),
): MultipartBody {
  if (!/^[0-9A-Za-z'()+_,\-./:=?]{1,70}$/.test(boundary))
    throw new RangeError(`invalid boundary: ${boundary}`);
  const crlf = Buffer.from(CRLF);
  const close = Buffer.from(`--${boundary}--${CRLF}`);
  const fieldParts = fields.map((f) =>
    Buffer.concat([fieldHead(boundary, f), Buffer.from(f.value, 'utf8'), crlf]),
  );
  const fileHeads = files.map((f) => fileHead(boundary, f));
  const contentLength =
    fieldParts.reduce((n, b) => n + b.length, 0) +
    files.reduce((n, f, i) => n + (fileHeads[i]?.length ?? 0) + f.size + crlf.length, 0) +
    close.length;

  async function* pieces(): AsyncGenerator<Buffer> {
    yield* fieldParts;
    for (const [i, file] of files.entries()) {
      yield fileHeads[i] as Buffer;
      let sent = 0;
      for await (const chunk of file.open()) {
        const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk);
        sent += buffer.length;
        if (sent > file.size) break;
        yield buffer;
      }
      // The length was promised in Content-Length; a file that changed size would corrupt the request.
      if (sent !== file.size) {
        throw new Error(
          `${file.filename} changed size while it was being sent (${file.size} bytes expected)`,
        );
      }
      yield crlf;
    }
    yield close;
  }

  return {
    boundary,
    contentType: `multipart/form-data; boundary=${boundary}`,
    contentLength,
    stream(onBytes) {
      return Readable.from(
        (async function* counted() {
          for await (const piece of pieces()) {
            onBytes?.(piece.length);
            yield piece;
          }
        })(),
        { objectMode: false },
      );
    },
  };
}

/**
 * A file on disk as a form file. Only its first `size` bytes (its size now) are read, so a log that
 * grows while it is sent is sent as it was when the upload began.
 */
export async function fileFromPath(path: string, field = 'file'): Promise<FormFile> {
  const info = await stat(path);
  if (!info.isFile()) throw Object.assign(new Error(`${path} is not a regular file`), { code: 'EISDIR' });
  const size = info.size;
  return {
    field,
    filename: basename(path),
    size,
    open: () => (size === 0 ? Readable.from([]) : createReadStream(path, { start: 0, end: size - 1 })),
  };
}
