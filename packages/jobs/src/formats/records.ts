import type { LogFormat, ParseContext } from './types.js';

/**
 * Multi-line records: a stack trace or traceback belongs to the log line before it. The decision is made
 * line by line, without state (isContinuation), so that a chunk of a file can tell from its own first
 * lines where its first record starts: it skips leading continuation lines (they belong to the previous
 * chunk) and reads past its end until the next record starts.
 */

const JAVA_FRAME = /^\s*at [^\s(]+\(/;
const JAVA_ELIDED = /^\s*\.\.\. \d+ (?:more|common frames omitted)/;
const JAVA_CAUSE = /^\s*(?:Caused by|Suppressed): /;
const PY_TRACEBACK = /^Traceback \(most recent call last\):/;
const PY_CHAIN = /^(?:During handling of the above exception|The above exception was the direct cause)/;
/** `ValueError: x`, `java.lang.IllegalStateException: boom`, `KeyboardInterrupt`: the line naming the error. */
const EXCEPTION_LINE = /^[A-Za-z_][\w.$]*(?:Error|Exception|Exit|Interrupt|Warning|Fault|Failure)(?::\s|:?$)/;

/** A line that continues the record before it whatever the format: indented, a stack frame, a traceback. */
export function isStructuralContinuation(line: string): boolean {
  const c = line.charCodeAt(0);
  if (c === 32 || c === 9) return true;
  if (c === 84 /* T */ && PY_TRACEBACK.test(line)) return true;
  return (
    JAVA_FRAME.test(line) ||
    JAVA_ELIDED.test(line) ||
    JAVA_CAUSE.test(line) ||
    PY_CHAIN.test(line) ||
    EXCEPTION_LINE.test(line)
  );
}

/** Whether `line` opens a record of `format`: the format parses it. */
export function startsRecord(line: string, format: LogFormat, ctx: ParseContext = {}): boolean {
  return format.parse(line, ctx) !== null;
}

/**
 * Whether `line` belongs to the record before it. Never for single-line formats (access logs, JSON lines,
 * logfmt); otherwise when it is a structural continuation, or, given a format, when the format does not
 * parse it (so blank lines and messages wrapped onto a new line join their record too).
 */
export function isContinuation(line: string, format?: LogFormat, ctx: ParseContext = {}): boolean {
  if (format?.multiline === false) return false;
  if (isStructuralContinuation(line)) return true;
  return format !== undefined && !startsRecord(line, format, ctx);
}

export interface LineInput {
  text: string;
  /** Byte offset of the line's first byte in the stream. */
  offset: number;
  /** Bytes of the line without its terminator. */
  byteLength: number;
  /** hash53 of the line's text, when known (SplitLine.key). */
  key?: number;
}

export interface LogRecord {
  /** The record's lines joined with "\n". */
  text: string;
  /** Byte offset of the first line. */
  offset: number;
  /** Bytes from the first line's start to the last line's end, terminators between lines included. */
  byteLength: number;
  /** Line number of the first line (1-based unless `firstLineNumber` says otherwise). */
  firstLine: number;
  lineCount: number;
  /** hash53 of `text`, when known: a one-line record whose line brought its key. */
  key?: number;
}

export interface RecordAssemblerOptions {
  format?: LogFormat;
  ctx?: ParseContext;
  /** Number of the first line pushed. Default 1. */
  firstLineNumber?: number;
  /** A record reaching this many lines is closed; the next line starts a new one. Default 5,000. */
  maxRecordLines?: number;
  /** A record reaching this many bytes is closed likewise. Default 1 MiB. */
  maxRecordBytes?: number;
}

/** Joins continuation lines to their record; push lines in order, then call end(). */
export class RecordAssembler {
  private readonly format: LogFormat | undefined;
  private readonly ctx: ParseContext;
  private readonly maxLines: number;
  private readonly maxBytes: number;
  private nextLine: number;
  private lines: string[] = [];
  /** The first line's key (LineInput.key). */
  private key: number | undefined;
  private offset = 0;
  private recordEnd = 0;
  private firstLine = 0;

  constructor(options: RecordAssemblerOptions = {}) {
    this.format = options.format;
    this.ctx = options.ctx ?? {};
    this.nextLine = options.firstLineNumber ?? 1;
    this.maxLines = options.maxRecordLines ?? 5000;
    this.maxBytes = options.maxRecordBytes ?? 1024 * 1024;
  }

  /** Adds a line; returns the record it closed, if it starts a new one. */
  push(line: LineInput): LogRecord[] {
    const lineNo = this.nextLine++;
    const open = this.lines.length > 0;
    const fits =
      this.lines.length < this.maxLines && line.offset + line.byteLength - this.offset <= this.maxBytes;
    if (open && fits && isContinuation(line.text, this.format, this.ctx)) {
      this.lines.push(line.text);
      this.recordEnd = line.offset + line.byteLength;
      return [];
    }
    const closed = open ? [this.close()] : [];
    this.lines = [line.text];
    this.key = line.key;
    this.offset = line.offset;
    this.recordEnd = line.offset + line.byteLength;
    this.firstLine = lineNo;
    return closed;
  }

  /** Closes the last record, if any. */
  end(): LogRecord[] {
    if (this.lines.length === 0) return [];
    const last = this.close();
    this.lines = [];
    return [last];
  }

  private close(): LogRecord {
    const one = this.lines.length === 1;
    return {
      text: one ? (this.lines[0] as string) : this.lines.join('\n'),
      offset: this.offset,
      byteLength: this.recordEnd - this.offset,
      firstLine: this.firstLine,
      lineCount: this.lines.length,
      key: one ? this.key : undefined,
    };
  }
}
