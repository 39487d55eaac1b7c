import type { FieldValue, ParsedFields } from '../entry.js';
import { normalizeLevel } from './level.js';
import { type ParsedTime, parseTimestamp } from './timestamp.js';
import type { LogFormat, ParseContext } from './types.js';

/**
 * Custom formats in the Loghub convention: `<Name>` is a named field, runs of spaces match one or more
 * whitespace characters, everything else is a regular expression, and the whole is anchored at both
 * ends, matched against the trimmed line. `<Content>` becomes `message`; Level, Component, Node and the
 * date/time fields fill the ParsedFields they mean; every named field is also kept in `fields`.
 *
 * Loghub compiles a field to the lazy `(.*?)`. That backtracks without bound on lines that do not match
 * (every split between spaces is tried), so each pattern is compiled twice: a fast one in which a field
 * followed by spaces cannot itself hold a space (`\S*?`: one candidate per position) and Loghub's own.
 * Whenever the fast one matches it gives exactly Loghub's result (the token before the first space is
 * the shortest candidate the lazy field tries that the following `\s+` accepts). Loghub's own is tried
 * only when the fast one fails and the line is short enough for its search to stay small.
 */

/** The exact pattern is tried when (whitespace runs) ^ (space-bounded fields) is at most this. */
const EXACT_SEARCH_BUDGET = 50_000;

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SERVICE_FIELDS = ['Component', 'Service', 'Logger', 'Module', 'App', 'Application', 'Source'];
const HOST_FIELDS = ['Node', 'Host', 'Hostname'];
const LEVEL_FIELDS = ['Level', 'Severity', 'LogLevel', 'Loglevel'];
/** Field combinations that together make a timestamp, tried in order. */
const TIME_SHAPES: readonly (readonly string[])[] = [
  ['Timestamp'],
  ['Month', 'Date', 'Time'],
  ['Date', 'Day', 'Time'],
  ['Date', 'Time'],
  ['Time'],
  ['Datetime'],
  ['Date'],
];

interface CompiledPattern {
  fast: RegExp;
  exact: RegExp;
  fieldNames: string[];
  /** How many fields the fast pattern bounds by whitespace, for the search budget. */
  spaceBounded: number;
}

function compilePattern(name: string, pattern: string): CompiledPattern {
  const parts = pattern.split(/(<[^<>]+>)/);
  // `[<Time>]` as a regular expression is a character class, which no one means: brackets around a field
  // are read as the literal brackets Loghub writes `\[<Time>\]`.
  for (let k = 1; k < parts.length - 1; k += 2) {
    const before = parts[k - 1] ?? '';
    const after = parts[k + 1] ?? '';
    if (/(^|[^\\])\[$/.test(before) && after.startsWith(']')) {
      parts[k - 1] = `${before.slice(0, -1)}\\[`;
      parts[k + 1] = `\\]${after.slice(1)}`;
    }
  }
  const fieldNames: string[] = [];
  let fast = '';
  let exact = '';
  let spaceBounded = 0;
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k] ?? '';
    if (k % 2 === 0) {
      const literal = part.replace(/ +/g, '\\s+');
      fast += literal;
      exact += literal;
      continue;
    }
    const field = part.slice(1, -1);
    if (!FIELD_NAME.test(field)) {
      throw new Error(`format "${name}": field <${field}> must be a name of letters, digits and underscores`);
    }
    if (fieldNames.includes(field)) throw new Error(`format "${name}": field <${field}> appears twice`);
    fieldNames.push(field);
    const next = parts[k + 1] ?? '';
    const isLast = k === parts.length - 2 && next === '';
    if (isLast) {
      // `.*?` before the end anchor matches exactly what `.*` does, without stepping one character at a time.
      fast += `(?<${field}>.*)`;
      exact += `(?<${field}>.*)`;
    } else if (next.startsWith(' ')) {
      fast += `(?<${field}>\\S*?)`;
      exact += `(?<${field}>.*?)`;
      spaceBounded++;
    } else {
      fast += `(?<${field}>.*?)`;
      exact += `(?<${field}>.*?)`;
    }
  }
  try {
    // dotAll: Python's `.` (which Loghub uses) stops only at \n, which a line never holds.
    return {
      fast: new RegExp(`^${fast}$`, 's'),
      exact: new RegExp(`^${exact}$`, 's'),
      fieldNames,
      spaceBounded,
    };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(`format "${name}": not a valid regular expression (${reason})`);
  }
}

function whitespaceRuns(s: string): number {
  let runs = 0;
  let inRun = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ws = c === 32 || c === 9;
    if (ws && !inRun) runs++;
    inRun = ws;
  }
  return runs;
}

function pick(groups: Record<string, string | undefined>, names: readonly string[]): string | undefined {
  for (const n of names) {
    const v = groups[n];
    if (v !== undefined && v !== '') return v;
  }
  return undefined;
}

/**
 * Compiles a Loghub-style pattern into a LogFormat. Throws an Error naming the format when the pattern
 * is not a valid regular expression or a field name is unusable (the API answers 422 with it).
 */
export function compileLoghubFormat(name: string, pattern: string, description?: string): LogFormat {
  const compiled = compilePattern(name, pattern);
  const { fast, exact, fieldNames, spaceBounded } = compiled;
  const timeShapes = TIME_SHAPES.filter((shape) => shape.every((f) => fieldNames.includes(f)));
  const hasContent = fieldNames.includes('Content');
  const fills: (keyof ParsedFields)[] = ['message', 'fields'];
  if (timeShapes.length > 0) fills.push('ts');
  if (LEVEL_FIELDS.some((f) => fieldNames.includes(f))) fills.push('level');
  if (SERVICE_FIELDS.some((f) => fieldNames.includes(f))) fills.push('service');
  if (HOST_FIELDS.some((f) => fieldNames.includes(f))) fills.push('host');

  const parse = (line: string, ctx: ParseContext): ParsedFields | null => {
    const text = line.trim();
    let m = fast.exec(text);
    if (!m && spaceBounded > 0 && whitespaceRuns(text) ** spaceBounded <= EXACT_SEARCH_BUDGET)
      m = exact.exec(text);
    if (!m) return null;
    const groups = m.groups ?? {};
    const fields: Record<string, FieldValue> = {};
    for (const f of fieldNames) {
      const v = groups[f];
      if (v !== undefined && f !== 'Content') fields[f] = v;
    }
    const out: ParsedFields = { message: hasContent ? (groups.Content ?? '') : text, fields };
    let time: ParsedTime | undefined;
    for (const shape of timeShapes) {
      const parts = shape.map((f) => groups[f]);
      if (parts.some((p) => p === undefined || p === '')) continue;
      time = parseTimestamp(parts.join(' '), ctx);
      if (time) break;
    }
    if (time) {
      out.ts = time.ts;
      if (time.tz !== undefined) out.tz = time.tz;
    }
    const level = normalizeLevel(pick(groups, LEVEL_FIELDS));
    if (level) out.level = level;
    const service = pick(groups, SERVICE_FIELDS);
    if (service !== undefined) out.service = service;
    const host = pick(groups, HOST_FIELDS);
    if (host !== undefined) out.host = host;
    return out;
  };

  return { name, description: description ?? `Custom format ${pattern}`, fills, multiline: true, parse };
}
