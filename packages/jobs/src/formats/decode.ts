import { isAscii, isUtf8 } from 'node:buffer';
import { Transform, type TransformCallback } from 'node:stream';
import { TextDecoder } from 'node:util';
import { hash53Bytes } from '../stats/hash.js';

/**
 * Byte handling for the parse stage: bytes in, lines out, with exact byte offsets so a line can be
 * traced back to its place in the stored file. Pure (no files): the caller feeds Buffers.
 */

/** Lines longer than this are cut; the rest up to the next newline is skipped. 1 MiB. */
export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

export interface SplitLine {
  /** The line decoded as UTF-8, without its terminator; invalid bytes are each replaced by U+FFFD. */
  text: string;
  /** Byte offset of the line's first byte in the stream (3 for a first line after a UTF-8 BOM). */
  offset: number;
  /**
   * Bytes of the line in the stream without its terminator (LF or CRLF), skipped bytes of an overlong line
   * included: the next line starts at offset + byteLength + 1 or 2.
   */
  byteLength: number;
  /** Bytes that were not valid UTF-8 (each became one U+FFFD). */
  invalidBytes: number;
  /** Set when the line was longer than the cap and was cut. */
  truncated?: true;
  /**
   * hash53 of the text's UTF-8 bytes (stats/hash.ts), taken from the bytes at hand so the text need not be
   * encoded again to find exact duplicates; unset when the line had invalid bytes.
   */
  key?: number;
}

/** Length of the valid UTF-8 sequence starting at `i`, or 0 if the byte there starts none (RFC 3629). */
function sequenceLength(b: Uint8Array, i: number): number {
  const b0 = b[i] ?? 0;
  if (b0 < 0x80) return 1;
  const b1 = b[i + 1] ?? 0;
  const cont = (x: number) => (x & 0xc0) === 0x80;
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(b1) ? 2 : 0;
  const b2 = b[i + 2] ?? 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    const lo = b0 === 0xe0 ? 0xa0 : 0x80;
    const hi = b0 === 0xed ? 0x9f : 0xbf;
    return b1 >= lo && b1 <= hi && cont(b2) ? 3 : 0;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const lo = b0 === 0xf0 ? 0x90 : 0x80;
    const hi = b0 === 0xf4 ? 0x8f : 0xbf;
    return b1 >= lo && b1 <= hi && cont(b2) && cont(b[i + 3] ?? 0) ? 4 : 0;
  }
  return 0;
}

/** Decodes UTF-8, replacing each invalid byte with U+FFFD; `isUtf8` is the fast path. */
export function decodeUtf8(bytes: Buffer): { text: string; invalidBytes: number } {
  if (isUtf8(bytes)) return { text: bytes.toString('utf8'), invalidBytes: 0 };
  let text = '';
  let invalidBytes = 0;
  let runStart = 0;
  let i = 0;
  while (i < bytes.length) {
    const n = sequenceLength(bytes, i);
    if (n > 0) {
      i += n;
      continue;
    }
    if (i > runStart) text += bytes.toString('utf8', runStart, i);
    text += '\uFFFD';
    invalidBytes++;
    i++;
    runStart = i;
  }
  if (i > runStart) text += bytes.toString('utf8', runStart, i);
  return { text, invalidBytes };
}

/**
 * Splits a byte stream into lines at LF (a CR before it is dropped). `push` returns the lines completed
 * by a chunk, `end` the unterminated tail. A UTF-8 BOM at offset 0 is dropped. A line longer than
 * `maxLineBytes` is cut at a character boundary and the rest skipped, so memory stays bounded by the
 * cap whatever the input.
 */
export class LineSplitter {
  private readonly maxLineBytes: number;
  /** Kept bytes of the current line: at most maxLineBytes + 1 (+ 3 for a BOM on the first line). */
  private parts: Buffer[] = [];
  private kept = 0;
  private lineStart = 0;
  /** Stream offset of the next byte pushed. */
  private position = 0;
  /** The last byte seen, to recognise a CR before an LF in the next chunk. */
  private lastByte = -1;

  /**
   * `maxLineBytes`: the line cap (default 1 MiB). `startOffset`: stream offset of the first byte pushed,
   * for reading a file from the middle (default 0); offsets count from it, and a BOM is only looked for
   * at offset 0.
   */
  constructor(options: { maxLineBytes?: number; startOffset?: number } = {}) {
    this.maxLineBytes = Math.max(4, options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
    this.position = options.startOffset ?? 0;
    this.lineStart = this.position;
  }

  push(chunk: Buffer): SplitLine[] {
    const lines: SplitLine[] = [];
    const base = this.position;
    let start = 0;
    const lastNl = chunk.lastIndexOf(10);
    for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, start)) {
      if (this.parts.length === 0 && this.lineStart === base + start && base + start > 0 && nl < lastNl) {
        const region = chunk.subarray(start, lastNl);
        if (isAscii(region)) {
          this.splitAscii(region, base + start, lines);
          this.lineStart = base + lastNl + 1;
          start = lastNl + 1;
          this.lastByte = 10;
          break;
        }
      }
      const crBefore = nl > start ? chunk[nl - 1] === 13 : this.lastByte === 13;
      const lineEnd = base + nl;
      if (this.parts.length === 0 && nl - start <= this.maxLineBytes + 1 && this.lineStart === base + start) {
        lines.push(this.finish(chunk.subarray(start, nl), lineEnd, crBefore));
      } else {
        this.keep(chunk.subarray(start, nl));
        lines.push(this.finish(this.takeKept(), lineEnd, crBefore));
      }
      this.lineStart = lineEnd + 1;
      start = nl + 1;
      this.lastByte = 10;
    }
    if (start < chunk.length) {
      // Copy so the caller's (possibly large) chunk is not retained through a subarray.
      this.keep(Buffer.from(chunk.subarray(start)));
      this.lastByte = chunk[chunk.length - 1] ?? -1;
    }
    this.position = base + chunk.length;
    return lines;
  }

  /**
   * Fast path for a run of whole lines that is all ASCII (most logs): one decode for the run, then string
   * slicing, where byte offsets equal string indexes. `region` excludes the run's final LF.
   */
  private splitAscii(region: Buffer, offset: number, lines: SplitLine[]): void {
    const text = region.toString('latin1');
    let pos = 0;
    for (;;) {
      const nl = text.indexOf('\n', pos);
      const end = nl < 0 ? text.length : nl;
      const contentEnd = end > pos && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
      const byteLength = contentEnd - pos;
      if (byteLength > this.maxLineBytes) {
        const cut = pos + this.maxLineBytes;
        lines.push({
          text: text.slice(pos, cut),
          offset: offset + pos,
          byteLength,
          invalidBytes: 0,
          truncated: true,
          key: hash53Bytes(region, pos, cut),
        });
      } else
        lines.push({
          text: text.slice(pos, contentEnd),
          offset: offset + pos,
          byteLength,
          invalidBytes: 0,
          key: hash53Bytes(region, pos, contentEnd),
        });
      if (nl < 0) return;
      pos = nl + 1;
    }
  }

  /** The last line when the stream does not end with a newline (its bytes are kept as they are). */
  end(): SplitLine[] {
    if (this.position === this.lineStart) return [];
    const line = this.finish(this.takeKept(), this.position, false);
    this.lineStart = this.position;
    return [line];
  }

  private keep(bytes: Buffer): void {
    // Room for a CR, and for a BOM on the first line, which are both dropped later.
    const room = this.maxLineBytes + 1 + (this.lineStart === 0 ? 3 : 0) - this.kept;
    if (room <= 0 || bytes.length === 0) return;
    const piece = bytes.length <= room ? bytes : bytes.subarray(0, room);
    this.parts.push(piece);
    this.kept += piece.length;
  }

  private takeKept(): Buffer {
    const joined = this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts, this.kept);
    this.parts = [];
    this.kept = 0;
    return joined;
  }

  /** Builds the line spanning lineStart..lineEnd (exclusive, terminator excluded) from its kept bytes. */
  private finish(kept: Buffer, lineEnd: number, crBefore: boolean): SplitLine {
    let offset = this.lineStart;
    let byteLength = lineEnd - offset - (crBefore ? 1 : 0);
    let bytes = kept.length > byteLength ? kept.subarray(0, byteLength) : kept;
    if (offset === 0 && bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
      bytes = bytes.subarray(3);
      offset = 3;
      byteLength -= 3;
    }
    let truncated = false;
    if (byteLength > this.maxLineBytes) {
      truncated = true;
      let cut = Math.min(this.maxLineBytes, bytes.length);
      // Do not split a character: step back over at most three continuation bytes.
      for (let k = 0; k < 3 && cut > 0 && ((bytes[cut] ?? 0) & 0xc0) === 0x80; k++) cut--;
      bytes = bytes.subarray(0, cut);
    }
    const { text, invalidBytes } = decodeUtf8(bytes);
    const line: SplitLine = { text, offset, byteLength, invalidBytes };
    if (truncated) line.truncated = true;
    if (invalidBytes === 0) line.key = hash53Bytes(bytes, 0, bytes.length);
    return line;
  }
}

export type TextEncoding = 'utf8' | 'utf16le' | 'utf16be';

/**
 * The encoding of a file from its first bytes: a BOM decides; without one, text whose every other byte
 * is zero (ASCII written as UTF-16) is taken as UTF-16 of that byte order; anything else is UTF-8.
 */
export function detectEncoding(firstBytes: Buffer): TextEncoding {
  if (firstBytes[0] === 0xef && firstBytes[1] === 0xbb && firstBytes[2] === 0xbf) return 'utf8';
  if (firstBytes[0] === 0xff && firstBytes[1] === 0xfe) return 'utf16le';
  if (firstBytes[0] === 0xfe && firstBytes[1] === 0xff) return 'utf16be';
  const pairs = Math.floor(Math.min(firstBytes.length, 512) / 2);
  if (pairs < 4) return 'utf8';
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < pairs * 2; i += 2) {
    if (firstBytes[i] === 0) evenZeros++;
    if (firstBytes[i + 1] === 0) oddZeros++;
  }
  if (oddZeros >= pairs * 0.9 && evenZeros === 0) return 'utf16le';
  if (evenZeros >= pairs * 0.9 && oddZeros === 0) return 'utf16be';
  return 'utf8';
}

/**
 * A Transform turning UTF-16 bytes into UTF-8 (no BOM), so uploads are stored as UTF-8. The byte order
 * is `encoding` or else detected from the first bytes; a stream that turns out to be UTF-8 passes through
 * unchanged. Characters split across chunks are handled; an unpaired surrogate or a dangling last byte
 * becomes U+FFFD.
 */
export function createUtf16ToUtf8(encoding?: 'utf16le' | 'utf16be'): Transform {
  let decoder: TextDecoder | undefined;
  let passThrough = false;
  let head: Buffer[] = [];
  let headLength = 0;
  let total = 0;

  const start = (bytes: Buffer): void => {
    const chosen = encoding ?? detectEncoding(bytes);
    if (chosen === 'utf8') passThrough = true;
    else decoder = new TextDecoder(chosen === 'utf16le' ? 'utf-16le' : 'utf-16be');
  };
  const convert = (stream: Transform, bytes: Buffer): void => {
    total += bytes.length;
    if (passThrough) stream.push(bytes);
    else {
      const text = decoder?.decode(bytes, { stream: true }) ?? '';
      if (text) stream.push(Buffer.from(text, 'utf8'));
    }
  };

  return new Transform({
    transform(chunk: Buffer, _enc, callback: TransformCallback) {
      if (decoder || passThrough) convert(this, chunk);
      else {
        head.push(chunk);
        headLength += chunk.length;
        // 64 bytes are enough for detection without a BOM; with one, 2 would do.
        if (encoding || headLength >= 64) {
          const bytes = Buffer.concat(head, headLength);
          head = [];
          start(bytes);
          convert(this, bytes);
        }
      }
      callback();
    },
    flush(callback: TransformCallback) {
      if (!decoder && !passThrough) {
        const bytes = Buffer.concat(head, headLength);
        start(bytes);
        convert(this, bytes);
      }
      if (decoder) {
        let tail = decoder.decode();
        // ICU's UTF-16LE decoder reports a dangling byte itself, its UTF-16BE decoder drops it silently.
        if (total % 2 === 1 && !tail.endsWith('\uFFFD')) tail += '\uFFFD';
        if (tail) this.push(Buffer.from(tail, 'utf8'));
      }
      callback();
    },
  });
}
