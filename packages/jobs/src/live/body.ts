/**
 * Reads a POST /api/logs body: one JSON event, a JSON array of events, or NDJSON (one event per line,
 * blank lines ignored). Whether each value is a valid event is decided later, per event; only a body
 * that is not JSON or NDJSON at all fails as a whole, naming the line that could not be read.
 */
export type ParsedBody = { values: unknown[] } | { error: string };

export function parseIngestBody(body: string): ParsedBody {
  const text = body.charCodeAt(0) === 0xfeff ? body.slice(1) : body; // a byte order mark is not JSON
  const start = firstNonSpace(text);
  if (start < 0) return { error: 'the body is empty; send a JSON event, a JSON array or NDJSON' };
  const first = text[start];
  if (first !== '{' && first !== '[') {
    return { error: 'line 1 is not JSON: expected "{" or "[" (send a JSON event, a JSON array or NDJSON)' };
  }
  try {
    const value: unknown = JSON.parse(text);
    return { values: Array.isArray(value) ? value : [value] };
  } catch (err) {
    // Not one JSON document: NDJSON when it has several lines, else the JSON error as it stands.
    if (first === '[' || !text.includes('\n', start)) {
      return { error: `line ${lineAt(text, start)} is not JSON: ${(err as Error).message}` };
    }
  }
  return parseNdjson(text);
}

function parseNdjson(text: string): ParsedBody {
  // Fast path: the lines joined into one JSON array, one parse instead of one per line. A line break
  // inside a JSON string is invalid JSON anyway, so the only line breaks are between values (a line's
  // trailing \r is JSON whitespace).
  let joined = '[';
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    joined += joined.length === 1 ? line : `,${line}`;
  }
  try {
    const values: unknown = JSON.parse(`${joined}]`);
    if (Array.isArray(values)) return { values };
  } catch {
    // some line is not JSON: find which, line by line
  }
  const values: unknown[] = [];
  let line = 0;
  let from = 0;
  while (from <= text.length) {
    let to = text.indexOf('\n', from);
    if (to < 0) to = text.length;
    line++;
    const piece = text.slice(from, to);
    if (piece.trim() !== '') {
      try {
        values.push(JSON.parse(piece));
      } catch (err) {
        return { error: `line ${line} is not JSON: ${(err as Error).message}` };
      }
    }
    from = to + 1;
  }
  return { values };
}

function firstNonSpace(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return i;
  }
  return -1;
}

function lineAt(text: string, index: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
