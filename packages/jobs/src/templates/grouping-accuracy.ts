/**
 * Grouping accuracy (GA), the standard score of log template mining (Zhu et al., ICSE-SEIP 2019):
 * a line counts as correct when the set of lines grouped with it is exactly the set of lines that share
 * its true template. GA is correct lines over all lines, in [0, 1]; 1 for no lines.
 *
 * Only the partition matters: the labels themselves (template ids or texts) are never compared across
 * the two sides.
 */
export function groupingAccuracy(
  predicted: readonly (string | number)[],
  truth: readonly (string | number)[],
): number {
  if (predicted.length !== truth.length) {
    throw new Error(`groupingAccuracy: ${predicted.length} predicted labels for ${truth.length} true labels`);
  }
  if (predicted.length === 0) return 1;
  const truthSize = new Map<string | number, number>();
  for (const t of truth) truthSize.set(t, (truthSize.get(t) ?? 0) + 1);
  // Per predicted group: its size and the single true label of all its lines (null once two differ).
  const groups = new Map<string | number, { size: number; label: string | number | null }>();
  for (let i = 0; i < predicted.length; i++) {
    const p = predicted[i] as string | number;
    const t = truth[i] as string | number;
    const g = groups.get(p);
    if (!g) groups.set(p, { size: 1, label: t });
    else {
      g.size++;
      if (g.label !== t) g.label = null;
    }
  }
  let correct = 0;
  for (const g of groups.values()) {
    if (g.label !== null && truthSize.get(g.label) === g.size) correct += g.size;
  }
  return correct / predicted.length;
}
