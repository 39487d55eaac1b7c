/** Key of the group that collects every key past the cap. */
export const OTHER_KEY = '(other)';

export interface GroupKind<V> {
  create(): V;
  /** How much a group holds (its entry count): the groups that weigh least are folded first. */
  weight(group: V): number;
  /** Adds `source` into `target` without keeping a reference to `source`. */
  mergeInto(target: V, source: V): void;
}

/**
 * Per-key groups (latency per path, success series per service) with at most `maxKeys` named keys, so a
 * log with ids in its paths cannot grow a partial without bound. Within one partial the first `maxKeys`
 * keys get groups and later keys share the OTHER_KEY group; a merge keeps the union when it fits and
 * otherwise keeps the heaviest keys (ties by key) and folds the rest into OTHER_KEY. Results are exact
 * per key whenever the whole stream has at most `maxKeys` distinct keys.
 */
export class CappedGroups<V> {
  readonly maxKeys: number;
  private readonly kind: GroupKind<V>;
  private readonly groups = new Map<string, V>();
  private other: V | undefined;

  constructor(maxKeys: number, kind: GroupKind<V>) {
    if (!Number.isInteger(maxKeys) || maxKeys < 1) throw new RangeError(`maxKeys must be >= 1: ${maxKeys}`);
    this.maxKeys = maxKeys;
    this.kind = kind;
  }

  /** The group that counts `key`, created when missing. */
  groupFor(key: string): V {
    const group = this.groups.get(key);
    if (group !== undefined) return group;
    if (this.groups.size < this.maxKeys && key !== OTHER_KEY) {
      const created = this.kind.create();
      this.groups.set(key, created);
      return created;
    }
    this.other ??= this.kind.create();
    return this.other;
  }

  /** The group that counted `key` (for removal), or undefined when nothing was counted for it. */
  existingGroupFor(key: string): V | undefined {
    return this.groups.get(key) ?? this.other;
  }

  /** Named groups, then OTHER_KEY when some keys were folded. */
  entries(): [string, V][] {
    const named = [...this.groups];
    return this.other === undefined ? named : [...named, [OTHER_KEY, this.other]];
  }

  /** Restores a group read from JSON. */
  set(key: string, group: V): void {
    if (key === OTHER_KEY) this.other = group;
    else this.groups.set(key, group);
  }

  merge(source: CappedGroups<V>): void {
    for (const [key, group] of source.entries()) {
      if (key === OTHER_KEY) {
        this.other ??= this.kind.create();
        this.kind.mergeInto(this.other, group);
        continue;
      }
      let target = this.groups.get(key);
      if (target === undefined) {
        target = this.kind.create();
        this.groups.set(key, target);
      }
      this.kind.mergeInto(target, group);
    }
    if (this.groups.size <= this.maxKeys) return;
    const ranked = [...this.groups].sort(
      ([keyA, a], [keyB, b]) => this.kind.weight(b) - this.kind.weight(a) || (keyA < keyB ? -1 : 1),
    );
    this.other ??= this.kind.create();
    for (const [key, group] of ranked.slice(this.maxKeys)) {
      this.kind.mergeInto(this.other, group);
      this.groups.delete(key);
    }
  }
}
