/**
 * Compact JSON for sparse integer-keyed vectors (time buckets, sketch buckets). Consecutive keys form one
 * run `[firstKey, "v:v,v:v,..."]`: each key's values joined by ":" with trailing zeros dropped, keys joined
 * by ",". A per-second series of [lines, failures] thus costs about one number and a comma per second
 * ("12," when nothing failed), and a long gap costs nothing. Gaps of up to MAX_FILLED_GAP keys are written
 * as empty entries rather than starting a new run.
 */

const MAX_FILLED_GAP = 4;

export type Runs = [firstKey: number, values: string][];

export function encodeRuns(vectors: ReadonlyMap<number, readonly number[]>, arity: number): Runs {
  const keys = [...vectors.keys()].sort((a, b) => a - b);
  const runs: Runs = [];
  let parts: string[] = [];
  let firstKey = 0;
  let nextKey = 0;
  for (const key of keys) {
    if (parts.length > 0 && key - nextKey <= MAX_FILLED_GAP) {
      for (; nextKey < key; nextKey++) parts.push('');
    } else {
      if (parts.length > 0) runs.push([firstKey, parts.join(',')]);
      parts = [];
      firstKey = key;
    }
    parts.push(encodeVector(vectors.get(key)!, arity));
    nextKey = key + 1;
  }
  if (parts.length > 0) runs.push([firstKey, parts.join(',')]);
  return runs;
}

/** The inverse of `encodeRuns`; keys whose values are all zero are left out. */
export function decodeRuns(runs: Runs, arity: number): Map<number, number[]> {
  const vectors = new Map<number, number[]>();
  for (const [firstKey, text] of runs) {
    text.split(',').forEach((part, offset) => {
      if (part === '') return;
      const values = new Array<number>(arity).fill(0);
      part.split(':').forEach((value, v) => {
        if (v < arity) values[v] = Number(value);
      });
      if (values.some((v) => v !== 0)) vectors.set(firstKey + offset, values);
    });
  }
  return vectors;
}

function encodeVector(values: readonly number[], arity: number): string {
  let end = arity;
  while (end > 0 && (values[end - 1] ?? 0) === 0) end--;
  return values.slice(0, end).join(':');
}
