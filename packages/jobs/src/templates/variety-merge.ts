/**
 * Pass 2 of the clustering (see cluster.ts): templates equal but at one position merge when at least
 * `minVariety` distinct values were seen there and the rest holds at least `minConstants` constant tokens.
 *
 * Templates are grouped by a hash of their tokens with one position wildcarded, computed for every position
 * in O(length) per template (a polynomial hash lets one term be swapped), and groups are checked token by
 * token before merging, so a hash collision never merges anything.
 */
import type { Cluster, ClusterOptions } from './cluster.js';
import { WILDCARD } from './mask.js';
import { canShareTemplate, generaliseTokens, isSymbolRun } from './tokens.js';

/** Rounds at most: each round can expose new equal pairs; the bound caps the work on odd inputs. */
const MAX_VARIETY_ROUNDS = 4;

/** Distinct values beyond which a position is taken for a variable without comparing every pair. */
const PAIRWISE_CHECK_LIMIT = 32;

/** Adds `token` to a position's distinct values, keeping at most `cap`. */
export function addValue(values: string[], token: string, cap: number): void {
  if (values.length < cap && !values.includes(token)) values.push(token);
}

/** True when no two of the tokens are bound to stay apart (see `canShareTemplate`). */
function mayShareTemplate(tokens: readonly string[]): boolean {
  const distinct = [...new Set(tokens)];
  if (distinct.length > PAIRWISE_CHECK_LIMIT) return !distinct.some(isSymbolRun);
  return distinct.every((a, i) => distinct.every((b, j) => j <= i || canShareTemplate(a, b)));
}

function tokenHash(token: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < token.length; i++) h = Math.imul(h ^ token.charCodeAt(i), 0x01000193);
  return h;
}

const BASE = 0x9e3779b1;
const WILDCARD_HASH = tokenHash(WILDCARD);

/** One template with one position wildcarded. */
interface Slot {
  cluster: Cluster;
  position: number;
}

/** True when two slots are the same template but at their (equal) position. */
function sameSkeleton(a: Slot, b: Slot): boolean {
  const ta = a.cluster.tokens;
  const tb = b.cluster.tokens;
  if (a.position !== b.position || ta.length !== tb.length) return false;
  for (let i = 0; i < ta.length; i++) if (i !== a.position && ta[i] !== tb[i]) return false;
  return true;
}

/** Slots of the live templates grouped by skeleton, in a deterministic order (age, then position). */
function skeletonGroups(clusters: readonly Cluster[], options: ClusterOptions): Slot[][] {
  const byHash = new Map<number, Slot[]>();
  for (const c of clusters) {
    const tokens = c.tokens;
    if (c.mergedInto || tokens.length > options.maxVarietyLength) continue;
    let constants = 0;
    for (const t of tokens) if (t !== WILDCARD) constants++;
    if (constants < options.minConstants) continue;
    // whole = sum of hash(token i) * BASE^(n-1-i), mod 2^32; power[i] = BASE^(n-1-i).
    const hashes = tokens.map(tokenHash);
    const power = new Array<number>(tokens.length);
    let whole = 0;
    let pw = 1;
    for (let i = tokens.length - 1; i >= 0; i--) {
      power[i] = pw;
      whole = (whole + Math.imul(hashes[i] as number, pw)) | 0;
      pw = Math.imul(pw, BASE);
    }
    for (let p = 0; p < tokens.length; p++) {
      if (constants - (tokens[p] === WILDCARD ? 0 : 1) < options.minConstants) continue;
      const swapped = (whole + Math.imul(WILDCARD_HASH - (hashes[p] as number), power[p] as number)) | 0;
      const key = Math.imul(swapped ^ p, 0x01000193) ^ tokens.length;
      const slot = { cluster: c, position: p };
      const list = byHash.get(key);
      if (list) list.push(slot);
      else byHash.set(key, [slot]);
    }
  }
  const groups: Slot[][] = [];
  for (const list of byHash.values()) {
    if (list.length < 2) continue;
    // Split the rare hash collisions apart.
    const parts: Slot[][] = [];
    for (const slot of list) {
      const part = parts.find((q) => sameSkeleton(q[0] as Slot, slot));
      if (part) part.push(slot);
      else parts.push([slot]);
    }
    for (const part of parts) if (part.length > 1) groups.push(part);
  }
  return groups;
}

/** Pass 2 over `clusters` (in creation order); merged-away clusters get `mergedInto`. */
export function mergeVariablePositions(clusters: Cluster[], options: ClusterOptions): void {
  for (let round = 0, changed = true; changed && round < MAX_VARIETY_ROUNDS; round++) {
    changed = false;
    for (const slots of skeletonGroups(clusters, options)) {
      const group = slots.map((s) => s.cluster).filter((c) => !c.mergedInto);
      if (group.length < 2) continue;
      const p = (slots[0] as Slot).position;
      const seen: string[] = [];
      for (const c of group) for (const v of c.values[p] as string[]) addValue(seen, v, options.minVariety);
      if (seen.length < options.minVariety || !mayShareTemplate(group.map((c) => c.tokens[p] as string)))
        continue;
      // The oldest (first) survives; seed templates are never merged into each other, so their ids stay apart.
      const [target, ...rest] = group as [Cluster, ...Cluster[]];
      const absorbed = rest.filter((c) => c.seed < 0);
      if (absorbed.length === 0) continue;
      target.tokens[p] = [target, ...absorbed].map((c) => c.tokens[p] as string).reduce(generaliseTokens);
      for (const c of absorbed) {
        c.mergedInto = target;
        c.values.forEach((vs, i) => {
          for (const v of vs) addValue(target.values[i] as string[], v, options.minVariety);
        });
      }
      changed = true;
    }
  }
}
