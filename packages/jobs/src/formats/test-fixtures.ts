import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Lines of a file under `fixtures/` (for tests), without the final empty line. */
export function fixtureLines(name: string): string[] {
  const lines = readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

export function fixtureBytes(name: string): Buffer {
  return readFileSync(join(import.meta.dirname, 'fixtures', name));
}
