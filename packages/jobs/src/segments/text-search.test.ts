import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldAscii, foldedSearch } from './text-search.js';

/** Every position of `needle` in `haystack`, ASCII letters compared without case: the plain way. */
function positions(haystack: string, needle: string): number[] {
  const bytes = Buffer.from(foldAscii(haystack), 'utf8').toString('latin1');
  const folded = Buffer.from(foldAscii(needle), 'utf8').toString('latin1');
  const out: number[] = [];
  for (let at = bytes.indexOf(folded); at >= 0; at = bytes.indexOf(folded, at + 1)) out.push(at);
  return out;
}

function allHits(haystack: string, needle: string): number[] {
  const next = foldedSearch(Buffer.from(haystack, 'utf8'), Buffer.from(foldAscii(needle), 'utf8'));
  const out: number[] = [];
  for (let at = next(0); at >= 0; at = next(at + 1)) out.push(at);
  return out;
}

describe('foldedSearch', () => {
  const text = (maxLength: number) =>
    fc.string({ unit: fc.constantFrom('a', 'B', 'b', '1', '2', '/', ' ', 'é', 'É'), maxLength });

  it('finds every occurrence, ASCII letters in any case, with or without a run free of letters', () => {
    fc.assert(
      fc.property(text(60), text(6), (haystack, needle) => {
        fc.pre(needle.length > 0);
        expect(allHits(haystack, needle)).toEqual(positions(haystack, needle));
      }),
      { numRuns: 2000 },
    );
  });

  it('finds an id inside mixed-case text by its digits', () => {
    const haystack = 'GET /API/Orders/619282 200\nGET /api/orders/6192820 200\norders/61928';
    expect(allHits(haystack, 'orders/619282')).toEqual([9, 36]);
  });
});
