/**
 * Groups distinct masked messages (signatures) into templates. Pure and deterministic: the result depends
 * only on the seed templates (in order) and the multiset of signatures, never on the order in which the
 * signatures were seen, so chunks mined apart and merged give exactly what mining the whole gives.
 *
 * Pass 1 is Drain's (He et al., ICWS 2017): signatures are routed by token count and their first two
 * tokens (a token holding `<*>` routes as `<*>`), also reaching templates whose leading tokens are
 * variables they fit, then join the most similar template when the similarity reaches
 * `similarity`, the template's differing tokens becoming `<*>`. Signatures are taken most frequent first
 * (ties by text), so the common form of an event shapes its template. Similarity is the share of matching
 * tokens among the positions where the template is not `<*>` (a `<*>` says nothing either way); a token
 * that keeps the key of the other ("tty=ssh", "tty=:0") counts half; upper-case enum words and symbol
 * runs never generalise (see tokens.ts).
 *
 * Pass 2 merges templates that are equal but at one position, when at least `minVariety` distinct values
 * were seen there and the rest holds at least `minConstants` constant tokens: a position taking many
 * values is a variable even in a message too short for pass 1's ratio ("Invalid user admin from <*>").
 */
import { WILDCARD } from './mask.js';
import { compareTokens, generaliseTokens, TokenMatch } from './tokens.js';
import { addValue, mergeVariablePositions } from './variety-merge.js';

export interface ClusterOptions {
  /** Least similarity for a signature to join a template in pass 1, in (0, 1]. Default 0.75. */
  similarity: number;
  /** Leading tokens that must be equal for two signatures to be compared in pass 1. Default 2. */
  routeDepth: number;
  /** Distinct values at one position that make it a variable in pass 2. Default 4. */
  minVariety: number;
  /** Constant tokens the rest of a template needs for pass 2 to generalise it. Default 3. */
  minConstants: number;
  /** Templates longer than this (tokens) are left to pass 1 alone, which bounds pass 2's work. Default 64. */
  maxVarietyLength: number;
}

export const DEFAULT_CLUSTER_OPTIONS: ClusterOptions = {
  similarity: 0.75,
  routeDepth: 2,
  minVariety: 4,
  minConstants: 3,
  maxVarietyLength: 64,
};

/** A template being built: its tokens, a few distinct values seen per position, and its origin. */
export interface Cluster {
  tokens: string[];
  /** Up to `minVariety` distinct tokens seen at each position. */
  values: string[][];
  /** Index of the seed template it continues, or -1 for a template born in this run. */
  seed: number;
  /** Creation order; the older of two merged templates survives. */
  order: number;
  /** Set when merged into another cluster in pass 2. */
  mergedInto: Cluster | null;
}

export interface SignatureCount {
  signature: string;
  count: number;
}

/** The cluster a merged-away cluster now belongs to. */
export function liveCluster(cluster: Cluster): Cluster {
  let c = cluster;
  while (c.mergedInto) c = c.mergedInto;
  return c;
}

/**
 * The route of a signature: its length and leading tokens, a token holding a variable in part
 * ("libpq-dev:<*>", "uid=<*>") routed as `<*>`, as Drain routes tokens with digits.
 */
function routeOf(tokens: readonly string[], depth: number): string {
  let route = String(tokens.length);
  for (let i = 0; i < depth && i < tokens.length; i++) {
    const t = tokens[i] as string;
    route += `\u0001${t.includes(WILDCARD) ? WILDCARD : t}`;
  }
  return route;
}

/** Which of the leading tokens route as `<*>`, as bits, with the length: the shape of a route. */
function routeShape(tokens: readonly string[], depth: number): string {
  let bits = 0;
  for (let i = 0; i < depth && i < tokens.length; i++)
    if ((tokens[i] as string).includes(WILDCARD)) bits |= 1 << i;
  return `${tokens.length}/${bits}`;
}

/**
 * Routes of templates whose leading tokens may hold variables where the signature has words: each
 * non-empty subset of the signature's leading words replaced by `<*>` (at most three keys for depth 2),
 * looked for only when some route of that shape exists.
 */
function variableRoutes(tokens: readonly string[], depth: number, shapes: ReadonlySet<string>): string[] {
  const keys: string[] = [];
  let own = 0;
  for (let i = 0; i < depth && i < tokens.length; i++)
    if ((tokens[i] as string).includes(WILDCARD)) own |= 1 << i;
  const lead = Math.min(depth, tokens.length);
  for (let subset = 1; subset < 1 << lead; subset++) {
    if (subset & own || !shapes.has(`${tokens.length}/${subset | own}`)) continue;
    let route = String(tokens.length);
    for (let i = 0; i < lead; i++) {
      const t = tokens[i] as string;
      route += `\u0001${subset & (1 << i) || t.includes(WILDCARD) ? WILDCARD : t}`;
    }
    keys.push(route);
  }
  return keys;
}

/** True when a template's leading tokens hold a variable, so its route is a pattern, not a key. */
function hasVariableRoute(tokens: readonly string[], depth: number): boolean {
  for (let i = 0; i < depth && i < tokens.length; i++)
    if ((tokens[i] as string).includes(WILDCARD)) return true;
  return false;
}

/** True when a template with a pattern route admits the leading tokens of `tokens`. */
function routeAdmits(template: readonly string[], tokens: readonly string[], depth: number): boolean {
  for (let i = 0; i < depth && i < tokens.length; i++) {
    const m = compareTokens(template[i] as string, tokens[i] as string);
    if (m !== TokenMatch.match && m !== TokenMatch.neutral) return false;
  }
  return true;
}

/** Pass 1 similarity of a template to a signature, or -1 when they can never share a template. */
function similarity(template: readonly string[], tokens: readonly string[]): number {
  let score = 0;
  let counted = 0;
  for (let i = 0; i < tokens.length; i++) {
    const m = compareTokens(template[i] as string, tokens[i] as string);
    if (m === TokenMatch.neutral) continue;
    if (m === TokenMatch.conflict) return -1;
    score += m;
    counted++;
  }
  return counted === 0 ? 1 : score / counted;
}

/**
 * Clusters `signatures` (each distinct) starting from `seeds` (template token lists, kept in order).
 * Returns every cluster (seeds first, merged-away ones included) and the cluster of each signature,
 * in the order given.
 */
export function clusterSignatures(
  seeds: readonly (readonly string[])[],
  signatures: readonly SignatureCount[],
  options: ClusterOptions = DEFAULT_CLUSTER_OPTIONS,
): { clusters: Cluster[]; assignment: Cluster[] } {
  const cap = options.minVariety;
  const clusters: Cluster[] = [];
  const routes = new Map<string, Cluster[]>();
  // Seeds whose leading tokens were generalised by an earlier run ("User <*> logged in"), by length.
  const patternRoutes = new Map<number, Cluster[]>();
  const shapes = new Set<string>();
  const newCluster = (tokens: string[], seed: number): Cluster => {
    const c: Cluster = {
      tokens,
      values: tokens.map((t) => [t]),
      seed,
      order: clusters.length,
      mergedInto: null,
    };
    clusters.push(c);
    if (seed >= 0 && hasVariableRoute(tokens, options.routeDepth)) {
      const list = patternRoutes.get(tokens.length);
      if (list) list.push(c);
      else patternRoutes.set(tokens.length, [c]);
      return c;
    }
    const route = routeOf(tokens, options.routeDepth);
    const list = routes.get(route);
    if (list) list.push(c);
    else {
      routes.set(route, [c]);
      shapes.add(routeShape(tokens, options.routeDepth));
    }
    return c;
  };
  seeds.forEach((tokens, i) => {
    newCluster([...tokens], i);
  });

  // Most frequent first, ties by text (the built-in sort without a comparator, much faster on strings).
  const byCount = new Map<number, string[]>();
  const indexOf = new Map<string, number>();
  signatures.forEach((s, index) => {
    indexOf.set(s.signature, index);
    const same = byCount.get(s.count);
    if (same) same.push(s.signature);
    else byCount.set(s.count, [s.signature]);
  });
  const order = [...byCount.keys()].sort((a, b) => b - a).flatMap((n) => (byCount.get(n) as string[]).sort());
  const assignment: Cluster[] = new Array(signatures.length);
  for (const signature of order) {
    const index = indexOf.get(signature) as number;
    const tokens = signature === '' ? [] : signature.split(' ');
    let best: Cluster | null = null;
    let bestScore = -1;
    // Templates of the signature's own route, then those whose leading tokens are variables it fits.
    const exact = routes.get(routeOf(tokens, options.routeDepth)) ?? [];
    const patterns = [...(patternRoutes.get(tokens.length) ?? [])];
    for (const key of variableRoutes(tokens, options.routeDepth, shapes))
      patterns.push(...(routes.get(key) ?? []));
    for (const list of [exact, patterns]) {
      for (const c of list) {
        if (list === patterns && !routeAdmits(c.tokens, tokens, options.routeDepth)) continue;
        const score = similarity(c.tokens, tokens);
        // Ties go to the older template.
        if (score > bestScore || (score === bestScore && best !== null && c.order < best.order)) {
          best = c;
          bestScore = score;
        }
      }
    }
    if (best && bestScore >= options.similarity) {
      for (let i = 0; i < tokens.length; i++) {
        const t = tokens[i] as string;
        best.tokens[i] = generaliseTokens(best.tokens[i] as string, t);
        addValue(best.values[i] as string[], t, cap);
      }
      assignment[index] = best;
    } else {
      assignment[index] = newCluster(tokens, -1);
    }
  }

  mergeVariablePositions(clusters, options);
  return { clusters, assignment };
}
