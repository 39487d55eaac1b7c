/**
 * How one template token compares with one message token, and how two tokens generalise.
 *
 * Tokens are whitespace-separated pieces of a masked message (see mask.ts); a template token may hold
 * `<*>` in part ("rhost=<*>", "(<*>)") or be the whole-token wildcard `<*>`.
 */
import { WILDCARD } from './mask.js';

/** The outcome of comparing a template token with a message token. */
export const TokenMatch = {
  /** The template token is `<*>`: it says nothing for or against the message. */
  neutral: -2,
  /** The two can never be the same template (see `compareTokens`). */
  conflict: -1,
  mismatch: 0,
  /** Same key, different value ("tty=ssh" and "tty=:0"): half a match. */
  partial: 0.5,
  match: 1,
} as const;
export type TokenMatch = (typeof TokenMatch)[keyof typeof TokenMatch];

/** Punctuation that separates a key from its value inside a token; generalisation keeps it. */
const KEY_DELIMITER = new Uint8Array(128);
for (const c of '=:,;()[]{}"\'|') KEY_DELIMITER[c.charCodeAt(0)] = 1;

function isAlphanumeric(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/**
 * A run of one repeated symbol ("****", "-", "==>" is not one): a separator, never a variable value,
 * so a position holding one is never generalised. Brackets and quotes are excluded: "()" is an empty value.
 */
export function isSymbolRun(token: string): boolean {
  const c0 = token.charCodeAt(0);
  if (Number.isNaN(c0) || c0 >= 128 || isAlphanumeric(c0) || '()[]{}<>"\''.includes(token[0] as string))
    return false;
  for (let i = 1; i < token.length; i++) if (token.charCodeAt(i) !== c0) return false;
  return true;
}

/** Alphanumeric words of a token, `<*>` counted as the word `*`. */
function words(token: string): string[] {
  return token
    .replaceAll(WILDCARD, ' * ')
    .split(/[^A-Za-z0-9*]+/)
    .filter((w) => w.length > 0);
}

function isUpperCaseWord(word: string): boolean {
  return /[A-Z]/.test(word) && !/[a-z*]/.test(word);
}

/**
 * True when the words in which the two tokens differ are all upper-case on both sides ("NEW" and
 * "RUNNING", "SCREEN_ON" and "TIME_TICK"): enum values and states name different events, user data
 * (names, hosts) is rarely written in capitals.
 */
export function differInUpperCaseWords(a: string, b: string): boolean {
  const wa = words(a);
  const wb = words(b);
  let head = 0;
  while (head < wa.length && head < wb.length && wa[head] === wb[head]) head++;
  let tail = 0;
  while (
    tail < wa.length - head &&
    tail < wb.length - head &&
    wa[wa.length - 1 - tail] === wb[wb.length - 1 - tail]
  ) {
    tail++;
  }
  const ra = wa.slice(head, wa.length - tail);
  const rb = wb.slice(head, wb.length - tail);
  return ra.length > 0 && rb.length > 0 && ra.every(isUpperCaseWord) && rb.every(isUpperCaseWord);
}

/** True when `pattern` (holding `<*>`, each matching any text, possibly empty) matches `token` entirely. */
export function globMatches(pattern: string, token: string): boolean {
  const parts = pattern.split(WILDCARD);
  if (parts.length === 1) return pattern === token;
  const first = parts[0] as string;
  const last = parts[parts.length - 1] as string;
  if (token.length < first.length + last.length || !token.startsWith(first) || !token.endsWith(last))
    return false;
  let at = first.length;
  const end = token.length - last.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const part = parts[i] as string;
    const found = token.indexOf(part, at);
    if (found < 0 || found + part.length > end) return false;
    at = found + part.length;
  }
  return true;
}

/**
 * The most specific token covering both: their common key part kept up to a key delimiter, the rest
 * `<*>` ("user=root" and "user=guest" give "user=<*>", "(uid=0)" and "LOGIN(uid=0)" give "<*>(uid=0)");
 * `<*>` when they share no such part.
 */
export function generaliseTokens(a: string, b: string): string {
  if (a === b) return a;
  if (a === WILDCARD || b === WILDCARD) return WILDCARD;
  if (globMatches(a, b)) return a;
  if (globMatches(b, a)) return b;
  let head = 0;
  while (head < a.length && head < b.length && a.charCodeAt(head) === b.charCodeAt(head)) head++;
  while (head > 0 && KEY_DELIMITER[a.charCodeAt(head - 1)] !== 1) head--;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a.charCodeAt(a.length - 1 - tail) === b.charCodeAt(b.length - 1 - tail)
  ) {
    tail++;
  }
  while (tail > 0 && KEY_DELIMITER[a.charCodeAt(a.length - tail)] !== 1) tail--;
  if (head === 0 && tail === 0) return WILDCARD;
  let out = `${a.slice(0, head)}${WILDCARD}${a.slice(a.length - tail)}`;
  while (out.includes('<*><*>')) out = out.replaceAll('<*><*>', WILDCARD);
  return out;
}

/** Compares a template token with a message token (see `TokenMatch`). */
export function compareTokens(template: string, token: string): TokenMatch {
  if (template === WILDCARD) return TokenMatch.neutral;
  if (template === token) return TokenMatch.match;
  if (template.includes(WILDCARD) && globMatches(template, token)) return TokenMatch.match;
  if (isSymbolRun(template) || isSymbolRun(token)) return TokenMatch.conflict;
  if (token !== WILDCARD && differInUpperCaseWords(template, token)) return TokenMatch.conflict;
  return generaliseTokens(template, token) === WILDCARD ? TokenMatch.mismatch : TokenMatch.partial;
}

/** True when two template tokens may stand at the same position of one template. */
export function canShareTemplate(a: string, b: string): boolean {
  if (a === b || a === WILDCARD || b === WILDCARD) return true;
  if (isSymbolRun(a) || isSymbolRun(b)) return false;
  return !differInUpperCaseWords(a, b);
}
