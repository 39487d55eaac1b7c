/**
 * Generic variable masking: one char-code scan per message, no regular expressions.
 *
 * A message is split into tokens on whitespace; a token is split into segments at the punctuation that
 * separates a key from its value (`= , ; ( ) [ ] { } " ' < > |` and `:` outside IPv6/MAC/clock values).
 * A segment is a variable, written `<*>`, when it holds a digit (numbers, hex, IPs, UUIDs, block ids,
 * durations, sizes, dates, host names with numbers), is a path (`/a/b`, `./x`, `~/x`, `C:\x`), a URL
 * (`scheme://...`) or an e-mail address. The result is the masked message with tokens joined by one space:
 * its signature. Day and month names are variables too (timestamps inside messages), and a run of
 * variable tokens becomes one `<*>` (lists of any length). No rule looks at which system wrote the message.
 *
 * `maskInto` writes the signature as char codes into a caller's buffer, so the miner's per-line path
 * allocates no string; `maskMessage` returns it as a string.
 */

export const WILDCARD = '<*>';

const SPACE = 32;
const COLON = 58;
const SLASH = 47;
const BACKSLASH = 92;
const DOT = 46;
const TILDE = 126;
const AT = 64;

/**
 * What each ASCII code does to the scan. Codes at or below the space end a token; DELIMITER codes end a
 * segment; so does a run of dots, and `:` unless it joins an IPv6, MAC or clock value ("fe80::1",
 * "10:22:33"). Codes from 128 up are WORD.
 */
const WORD = 0;
const DIGIT = 1;
const END = 2;
const DELIMITER = 3;
const DOT_KIND = 4;
const COLON_KIND = 5;
const AT_KIND = 6;
const CHAR_KIND = new Uint8Array(128);
for (let c = 0; c <= SPACE; c++) CHAR_KIND[c] = END;
for (const c of '0123456789') CHAR_KIND[c.charCodeAt(0)] = DIGIT;
for (const c of '=,;()[]{}"\'<>|') CHAR_KIND[c.charCodeAt(0)] = DELIMITER;
CHAR_KIND[DOT] = DOT_KIND;
CHAR_KIND[COLON] = COLON_KIND;
CHAR_KIND[AT] = AT_KIND;

/** Hex digits, `.` and `:`: the characters of IPv6, MAC and clock values. */
function isHexyCode(c: number): boolean {
  return (c >= 48 && c <= 58) || c === DOT || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/** True when `message[start, end)` holds only hex digits, `.` and `:`. */
function isHexy(message: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!isHexyCode(message.charCodeAt(i))) return false;
  return true;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Index of an upper-case letter followed by two lower-case ones in `CALENDAR_ABBREVIATIONS`, or -1. */
function calendarIndex(a: number, b: number, c: number): number {
  if (a < 65 || a > 90 || b < 97 || b > 122 || c < 97 || c > 122) return -1;
  return (a - 65) * 676 + (b - 97) * 26 + (c - 97);
}

/** 1 at the `calendarIndex` of each day and month abbreviation. */
const CALENDAR_ABBREVIATIONS = new Uint8Array(26 * 26 * 26);
for (const w of 'Mon Tue Wed Thu Fri Sat Sun Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ')) {
  CALENDAR_ABBREVIATIONS[calendarIndex(w.charCodeAt(0), w.charCodeAt(1), w.charCodeAt(2))] = 1;
}
const CALENDAR_NAMES = new Set(
  'Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April June July August September October November December'.split(
    ' ',
  ),
);

/** Day and month names as written in timestamps: "Sun", "Jul", "Sunday", "July". */
function isCalendarWord(message: string, start: number, length: number): boolean {
  const index = calendarIndex(
    message.charCodeAt(start),
    message.charCodeAt(start + 1),
    message.charCodeAt(start + 2),
  );
  if (index < 0 || CALENDAR_ABBREVIATIONS[index] !== 1) return false;
  return length === 3 || CALENDAR_NAMES.has(message.slice(start, start + length));
}

/**
 * True when the segment `message[start, end)` holding no digit is still a variable: a path, an e-mail
 * address (`at` is the index of its first `@`, or -1) or a day or month name.
 */
function isVariableWord(message: string, start: number, end: number, at: number): boolean {
  const length = end - start;
  if (length < 2) return false;
  const c0 = message.charCodeAt(start);
  const c1 = message.charCodeAt(start + 1);
  // Absolute, relative and home paths: "/var/log", "./run", "../x", "~/x"; a bare "/" stays.
  if (c0 === SLASH) return isLetter(c1) || c1 === SLASH || c1 === DOT || c1 === 95 || c1 === 45;
  if (c0 === DOT) return c1 === SLASH || (c1 === DOT && message.charCodeAt(start + 2) === SLASH);
  if (c0 === TILDE) return c1 === SLASH;
  if (c1 === COLON) return isLetter(c0) && message.charCodeAt(start + 2) === BACKSLASH;
  if (at > start) {
    const dot = message.indexOf('.', at + 2);
    if (dot > 0 && dot < end - 1) return true;
  }
  return length <= 9 && c0 >= 65 && c0 <= 90 && isCalendarWord(message, start, length);
}

const LT = 60;
const STAR = 42;
const GT = 62;

/**
 * Writes the signature of `message` into `out` as UTF-16 code units and returns its length. `out` must
 * hold at least `signatureCapacity(message.length)` units.
 */
export function maskInto(message: string, out: Uint16Array): number {
  const n = message.length;
  let o = 0;
  let i = 0;
  let lastWasWildcard = false;
  while (i < n) {
    // Skip whitespace between tokens (any code at or below the space).
    while (i < n && message.charCodeAt(i) <= SPACE) i++;
    if (i >= n) break;
    if (o > 0) out[o++] = SPACE;
    const tokenStart = o;
    // One token: segments and the delimiters between them.
    let segStart = i;
    let segOut = o;
    let hasDigit = false;
    let url = false;
    let at = -1;
    for (;;) {
      // The common case in a tight loop: letters and digits, which neither end nor mark the segment.
      let c = SPACE;
      let kind = END;
      while (i < n) {
        c = message.charCodeAt(i);
        kind = c < 128 ? (CHAR_KIND[c] as number) : WORD;
        if (kind > DIGIT) break;
        if (kind === DIGIT) hasDigit = true;
        out[o++] = c;
        i++;
      }
      if (i >= n) {
        c = SPACE;
        kind = END;
      }
      let ends = kind === END || (kind === DELIMITER && !url);
      if (kind === DOT_KIND) ends = !url && i > segStart && message.charCodeAt(i + 1) === DOT;
      else if (kind === COLON_KIND && !url) {
        const next = message.charCodeAt(i + 1);
        if (next === SLASH && message.charCodeAt(i + 2) === SLASH) url = true;
        else if (next === BACKSLASH && i === segStart + 1) {
          // "C:\dir": a drive letter, the path goes on.
        } else {
          // Joined only after a digit or another colon ("fe80::1", "::1", "10:22"), so "bc:amd64" splits.
          const joins = hasDigit || (i === segStart ? next === COLON : message.charCodeAt(i - 1) === COLON);
          ends = !(joins && isHexyCode(next) && isHexy(message, segStart, i));
        }
      } else if (kind === AT_KIND && at < 0 && i > segStart) at = i;
      if (!ends) {
        out[o++] = c;
        i++;
        continue;
      }
      if (i > segStart && (hasDigit || url || isVariableWord(message, segStart, i, at))) {
        o = segOut;
        out[o++] = LT;
        out[o++] = STAR;
        out[o++] = GT;
      }
      if (kind === END) break;
      out[o++] = c;
      i++;
      if (c === DOT) {
        // A run of dots ("depth.......0", "loop...") separates a label from its value.
        while (i < n && message.charCodeAt(i) === DOT) {
          out[o++] = DOT;
          i++;
        }
      }
      segStart = i;
      segOut = o;
      hasDigit = false;
      url = false;
      at = -1;
    }
    // A run of variable tokens is one variable: lists of ids or dates of any length give one signature.
    const isWildcard =
      o - tokenStart === 3 && out[tokenStart] === LT && out[tokenStart + 1] === STAR && out[o - 1] === GT;
    if (isWildcard && lastWasWildcard) o = tokenStart - 1;
    lastWasWildcard = isWildcard;
  }
  return o;
}

/** Buffer size `maskInto` needs for a message of `length` code units (a 1-char variable becomes `<*>`). */
export function signatureCapacity(length: number): number {
  return 3 * length + 8;
}

/** The string held in `buffer[0, length)`. */
export function decodeSignature(buffer: Uint16Array, length: number): string {
  const chunk = 8192;
  let s = '';
  for (let i = 0; i < length; i += chunk) {
    s += String.fromCharCode.apply(
      null,
      buffer.subarray(i, Math.min(length, i + chunk)) as unknown as number[],
    );
  }
  return s;
}

let shared = new Uint16Array(1024);

/** The signature of a message: see the module comment. */
export function maskMessage(message: string): string {
  const need = signatureCapacity(message.length);
  if (shared.length < need) shared = new Uint16Array(need);
  return decodeSignature(shared, maskInto(message, shared));
}
