/**
 * Cutting a TCP byte stream into frames, in bounded memory: newline-delimited lines, and syslog over TCP
 * (RFC 6587) with both framings, octet counting (`<length> <message>`, section 3.4.1) and newline
 * termination (section 3.4.2), told apart at the start of each frame. A frame longer than `maxBytes` is
 * never held: its first bytes are kept for the dead letter, the rest skipped, and a `tooLong` frame
 * reports it. Pure: bytes in, frames out.
 */

/** Bytes of an overlong frame kept to show in its dead letter. */
export const TOO_LONG_PREFIX_BYTES = 256;
/** Digits an octet count may have (RFC 6587 allows up to a length that fits; 9 digits is ~1 GB). */
const MAX_COUNT_DIGITS = 9;

export type Frame = { text: string } | { tooLong: true; bytes: number; prefix: string };

const LF = 10;
const CR = 13;
const SPACE = 32;

/** Newline-delimited frames (a trailing CR is dropped). */
export class LineFramer {
  protected parts: Buffer[] = [];
  protected partBytes = 0;
  /** Skipping the rest of an overlong line: bytes seen so far, or -1 when not skipping. */
  protected skipped = -1;
  /** The first TOO_LONG_PREFIX_BYTES of the frame being skipped. */
  protected prefix: Buffer = Buffer.alloc(0);

  constructor(protected readonly maxBytes: number) {}

  push(chunk: Buffer): Frame[] {
    const frames: Frame[] = [];
    this.scanLines(chunk, 0, frames);
    return frames;
  }

  /** The last line, when the stream ends without a newline after it. */
  end(): Frame[] {
    const frames: Frame[] = [];
    if (this.skipped >= 0) frames.push(this.tooLong(this.skipped));
    else if (this.partBytes > 0) frames.push({ text: lineText(Buffer.concat(this.parts)) });
    this.parts = [];
    this.partBytes = 0;
    return frames;
  }

  /** Newline framing from `from`; returns the index after the last complete line (chunk end if none). */
  protected scanLines(chunk: Buffer, from: number, frames: Frame[], untilOne = false): number {
    let start = from;
    while (start < chunk.length) {
      const nl = chunk.indexOf(LF, start);
      const end = nl < 0 ? chunk.length : nl;
      if (this.skipped >= 0) {
        this.keepPrefix(chunk.subarray(start, end));
        this.skipped += end - start;
      } else if (this.partBytes + (end - start) > this.maxBytes) {
        const head = Buffer.concat([...this.parts, chunk.subarray(start, end)]);
        this.prefix = Buffer.alloc(0);
        this.keepPrefix(head);
        this.skipped = head.length;
        this.parts = [];
        this.partBytes = 0;
      } else if (nl >= 0 && this.partBytes === 0) {
        frames.push({ text: lineText(chunk.subarray(start, end)) });
      } else {
        this.parts.push(chunk.subarray(start, end));
        this.partBytes += end - start;
      }
      if (nl < 0) return chunk.length;
      if (this.skipped >= 0) frames.push(this.tooLong(this.skipped + 1));
      else if (this.partBytes > 0) {
        frames.push({ text: lineText(Buffer.concat(this.parts)) });
        this.parts = [];
        this.partBytes = 0;
      }
      start = nl + 1;
      if (untilOne) return start;
    }
    return start;
  }

  protected keepPrefix(bytes: Buffer): void {
    const room = TOO_LONG_PREFIX_BYTES - this.prefix.length;
    if (room > 0) this.prefix = Buffer.concat([this.prefix, bytes.subarray(0, room)]);
  }

  protected tooLong(bytes: number): Frame {
    const frame: Frame = { tooLong: true, bytes, prefix: this.prefix.toString('utf8') };
    this.skipped = -1;
    this.prefix = Buffer.alloc(0);
    return frame;
  }
}

/**
 * syslog over TCP: each frame is octet-counted when it starts with a digit (`123 <34>1 ...`), else
 * newline-terminated (`<34>Oct 11 ...\n`). Blank lines between frames are ignored.
 */
export class SyslogFramer extends LineFramer {
  /** Octet-counted frame being read: bytes still expected, or -1 when between frames. */
  private remaining = -1;
  private counted = 0;
  private digits = '';
  /** Inside a newline-terminated frame (its first byte was not a digit). */
  private inLine = false;

  override push(chunk: Buffer): Frame[] {
    const frames: Frame[] = [];
    let i = 0;
    while (i < chunk.length) {
      if (this.inLine) {
        const before = frames.length;
        i = this.scanLines(chunk, i, frames, true);
        if (frames.length > before) this.inLine = false;
        continue;
      }
      if (this.remaining >= 0) {
        i = this.readCounted(chunk, i, frames);
        continue;
      }
      const c = chunk[i] as number;
      if (this.digits === '' && (c === LF || c === CR || c === SPACE)) {
        i++; // between frames
      } else if (c >= 48 && c <= 57 && this.digits.length < MAX_COUNT_DIGITS) {
        this.digits += String.fromCharCode(c);
        i++;
      } else if (c === SPACE && this.digits !== '') {
        this.startCounted(Number(this.digits));
        this.digits = '';
        i++;
      } else {
        // Not an octet count after all: the digits read so far begin a newline-terminated frame.
        if (this.digits !== '') this.parts.push(Buffer.from(this.digits));
        this.partBytes += this.digits.length;
        this.digits = '';
        this.inLine = true;
      }
    }
    return frames;
  }

  override end(): Frame[] {
    const frames: Frame[] = [];
    if (this.remaining >= 0) {
      // A truncated octet-counted frame: what arrived is all there is.
      if (this.skipped >= 0) frames.push(this.tooLong(this.skipped));
      else if (this.partBytes > 0) frames.push({ text: Buffer.concat(this.parts).toString('utf8') });
      this.parts = [];
      this.partBytes = 0;
      this.remaining = -1;
      return frames;
    }
    if (this.digits !== '') {
      frames.push({ text: this.digits });
      this.digits = '';
      return frames;
    }
    return this.inLine ? super.end() : frames;
  }

  private startCounted(length: number): void {
    if (length === 0) return;
    this.remaining = length;
    this.counted = length;
    if (length > this.maxBytes) {
      this.skipped = 0;
      this.prefix = Buffer.alloc(0);
    }
  }

  private readCounted(chunk: Buffer, i: number, frames: Frame[]): number {
    const take = Math.min(this.remaining, chunk.length - i);
    const piece = chunk.subarray(i, i + take);
    if (this.skipped >= 0) {
      this.keepPrefix(piece);
      this.skipped += take;
    } else {
      this.parts.push(piece);
      this.partBytes += take;
    }
    this.remaining -= take;
    if (this.remaining === 0) {
      if (this.skipped >= 0) {
        frames.push(this.tooLong(this.counted));
      } else {
        frames.push({ text: Buffer.concat(this.parts).toString('utf8') });
        this.parts = [];
        this.partBytes = 0;
      }
      this.remaining = -1;
    }
    return i + take;
  }
}

function lineText(bytes: Buffer): string {
  const end = bytes.length > 0 && bytes[bytes.length - 1] === CR ? bytes.length - 1 : bytes.length;
  return bytes.toString('utf8', 0, end);
}
