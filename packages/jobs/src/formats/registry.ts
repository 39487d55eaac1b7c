import type { ParsedFields } from '../entry.js';
import { combinedFormat, combinedTimedFormat, commonFormat } from './access.js';
import { apacheErrorFormat } from './apache-error.js';
import { jsonFormat } from './json.js';
import { logfmtFormat } from './logfmt.js';
import { plainFormat } from './plain.js';
import { rawFormat } from './raw.js';
import { isStructuralContinuation } from './records.js';
import { rfc3164Format } from './syslog3164.js';
import { rfc5424Format } from './syslog5424.js';
import type { LogFormat, ParseContext } from './types.js';

/** Built-in formats in order of preference when detection ties on share and fields filled. */
export const BUILTIN_FORMATS: readonly LogFormat[] = [
  jsonFormat,
  combinedTimedFormat,
  combinedFormat,
  commonFormat,
  rfc5424Format,
  rfc3164Format,
  apacheErrorFormat,
  logfmtFormat,
  plainFormat,
  rawFormat,
];

/** Other names people use for the same formats. Nginx's default log_format is the combined format. */
export const FORMAT_ALIASES: Readonly<Record<string, string>> = {
  nginx: 'combined',
  apache: 'combined',
  clf: 'common',
  'httpd-error': 'apache-error',
  syslog: 'syslog3164',
  rfc3164: 'syslog3164',
  rfc5424: 'syslog5424',
  jsonl: 'json',
  ndjson: 'json',
};

export function listFormats(): readonly LogFormat[] {
  return BUILTIN_FORMATS;
}

/** A built-in format by name or alias (case-insensitive), or undefined. */
export function getFormat(name: string): LogFormat | undefined {
  const key = name.toLowerCase();
  const target = Object.hasOwn(FORMAT_ALIASES, key) ? FORMAT_ALIASES[key] : key;
  return BUILTIN_FORMATS.find((f) => f.name === target);
}

export interface FormatShare {
  name: string;
  /** Share of the sample's record-starting lines this format parses, 0..1. */
  share: number;
}

export interface DetectedFormat {
  format: LogFormat;
  /** The winner's share; 0 when nothing fitted and `raw` was returned. */
  confidence: number;
  /** Every candidate, best first. */
  ranking: FormatShare[];
}

function filledCount(p: ParsedFields): number {
  let n = 0;
  for (const key in p) {
    const v = p[key as keyof ParsedFields];
    if (key !== 'message' && key !== 'fields' && v !== undefined) n++;
  }
  return n;
}

/**
 * Picks the format that parses the largest share of the sample. Blank lines and lines that are plainly
 * continuations (indented, stack frames) are left out of the count. Ties go to the format that fills
 * more fields per parsed line (so a specific format beats `plain`), then to the earlier format in the
 * candidate list. A mixed or unknown sample still gets its
 * best candidate, with the share as an honest confidence; when no candidate parses anything the
 * answer is `raw` with confidence 0.
 */
export function detectFormat(
  sampleLines: readonly string[],
  ctx: ParseContext,
  candidates: readonly LogFormat[] = BUILTIN_FORMATS.filter((f) => f !== rawFormat),
): DetectedFormat {
  const lines = sampleLines.filter((l) => l.trim() !== '' && !isStructuralContinuation(l));
  const total = lines.length;
  const scored = candidates.map((format, order) => {
    let parsed = 0;
    let filled = 0;
    for (const line of lines) {
      const p = format.parse(line, ctx);
      if (p) {
        parsed++;
        filled += filledCount(p);
      }
    }
    return {
      format,
      order,
      parsed,
      share: total === 0 ? 0 : parsed / total,
      avgFilled: parsed ? filled / parsed : 0,
    };
  });
  scored.sort((a, b) => b.parsed - a.parsed || b.avgFilled - a.avgFilled || a.order - b.order);
  const ranking = scored.map((s) => ({ name: s.format.name, share: s.share }));
  const best = scored[0];
  if (!best || best.parsed === 0) return { format: rawFormat, confidence: 0, ranking };
  return { format: best.format, confidence: best.share, ranking };
}
