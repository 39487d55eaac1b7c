import { createHash } from 'node:crypto';

/**
 * A template's identity: the first 64 bits of the SHA-256 of its text, as 16 lower-case hex digits.
 * Derived from the text alone, so every process and every later upload names the same template the same
 * way; it is fixed when the template is born and kept when a later upload generalises the text.
 */
export function templateIdOf(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16);
}
