import { describe, expect, it } from 'vitest';
import { parseIngestBody } from './body.js';

describe('parseIngestBody', () => {
  it('reads one event, an array, or NDJSON with blank lines and CRLF', () => {
    expect(parseIngestBody(' {"a":1} ')).toEqual({ values: [{ a: 1 }] });
    expect(parseIngestBody('[{"a":1},2]')).toEqual({ values: [{ a: 1 }, 2] });
    expect(parseIngestBody('{"a":1}\r\n\n{"a":2}\n')).toEqual({ values: [{ a: 1 }, { a: 2 }] });
    expect(parseIngestBody('\ufeff{"a":1}')).toEqual({ values: [{ a: 1 }] });
  });

  it('names the line that is not JSON', () => {
    expect(parseIngestBody('{"a":1}\n{"a":2}\n{nope}\n')).toMatchObject({
      error: expect.stringMatching(/^line 3 is not JSON: /),
    });
    expect(parseIngestBody('\n\n[1, 2')).toMatchObject({
      error: expect.stringMatching(/^line 3 is not JSON: /),
    });
    expect(parseIngestBody('hello')).toEqual({
      error: 'line 1 is not JSON: expected "{" or "[" (send a JSON event, a JSON array or NDJSON)',
    });
    expect(parseIngestBody('  \n ')).toEqual({
      error: 'the body is empty; send a JSON event, a JSON array or NDJSON',
    });
  });
});
