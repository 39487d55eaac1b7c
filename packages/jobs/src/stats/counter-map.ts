/** Exact counts by key. A key whose count returns to zero is deleted, so removal leaves no trace. */
export function bump<K>(counts: Map<K, number>, key: K, delta = 1): void {
  const next = (counts.get(key) ?? 0) + delta;
  if (next === 0) counts.delete(key);
  else counts.set(key, next);
}

export function mergeCounts<K>(target: Map<K, number>, source: ReadonlyMap<K, number>): void {
  for (const [key, count] of source) bump(target, key, count);
}

/** Counts as a plain object, highest count first (ties by key), for JSON and reports. */
export function countsToRecord<K extends string | number>(
  counts: ReadonlyMap<K, number>,
): Record<string, number> {
  const sorted = [...counts].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])));
  return Object.fromEntries(sorted.map(([key, count]) => [String(key), count]));
}
