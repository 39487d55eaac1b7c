import type { ParsedFields } from '../entry.js';

/** Context a line parser may need that the line itself does not carry. */
export interface ParseContext {
  /** Zone for timestamps written without one: an IANA name ("Europe/Paris") or an offset ("+02:00"). Default UTC. */
  tz?: string;
  /** Epoch ms used to resolve year-less dates (syslog "Mar  3 10:00:01"): normally the file's upload time. */
  referenceTime?: number;
}

/**
 * One log format. Each lives in its own file under `formats/` and is listed once in `registry.ts`.
 * `parse` is pure and must never throw: it returns `null` when the line is not in this format.
 */
export interface LogFormat {
  /** Stable name used by the `format` upload option and the CLI's `--format`. */
  readonly name: string;
  readonly description: string;
  /** Which ParsedFields this format can fill, for `logsift formats` and detection tie-breaks. */
  readonly fills: readonly (keyof ParsedFields)[];
  /**
   * Whether a record may span several lines (stack traces after a plain or syslog line). Formats whose
   * every record is one line (access logs, JSON lines, logfmt) say false, so a line they cannot parse
   * stays an unparsed line of its own instead of being glued to the one before. Default true.
   */
  readonly multiline?: boolean;
  parse(line: string, ctx: ParseContext): ParsedFields | null;
  /**
   * `parse` as the parse stage needs it: the same lines accepted, with the same values for what the stage
   * counts, indexes and cleans by (ts, tz, level, service, method, path, status, latencyMs, message), and
   * the other fields left out (an entry shown later is parsed again in full, segments/rehydrate.ts). For
   * formats whose other fields cost much to build, such as access logs. Default: `parse`.
   */
  parseIndexed?(line: string, ctx: ParseContext): ParsedFields | null;
}
