import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadLoghubDataset } from '../loghub/dataset.js';
import { clusterSignatures, liveCluster, type SignatureCount } from './cluster.js';
import { maskMessage } from './mask.js';

/** Template text of each signature, keyed by signature. */
function templatesBySignature(signatures: readonly SignatureCount[]): Map<string, string> {
  const { assignment } = clusterSignatures([], signatures);
  return new Map(signatures.map((s, i) => [s.signature, liveCluster(assignment[i]!).tokens.join(' ')]));
}

function counted(messages: readonly string[]): SignatureCount[] {
  const counts = new Map<string, number>();
  for (const m of messages) {
    const s = maskMessage(m);
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  return [...counts].map(([signature, count]) => ({ signature, count }));
}

describe('clusterSignatures', () => {
  it('gives the same templates whatever the order of the signatures', () => {
    const signatures = counted(loadLoghubDataset('Linux').rows.map((r) => r.content));
    const reference = templatesBySignature(signatures);
    fc.assert(
      fc.property(fc.shuffledSubarray(signatures, { minLength: signatures.length }), (shuffled) => {
        expect(templatesBySignature(shuffled)).toEqual(reference);
      }),
      { numRuns: 20 },
    );
  });

  it('takes a leading word for a variable once it took at least four values', () => {
    const three = ['alice', 'bob', 'carol'].map((u) => `${u} logged in from 10.0.0.1`);
    expect(new Set(templatesBySignature(counted(three)).values())).toEqual(
      new Set(['alice logged in from <*>', 'bob logged in from <*>', 'carol logged in from <*>']),
    );
    const four = [...three, 'dave logged in from 10.0.0.2'];
    expect(new Set(templatesBySignature(counted(four)).values())).toEqual(
      new Set(['<*> logged in from <*>']),
    );
  });

  it('keeps seeds, in order, and lets them take the signatures they fit', () => {
    const { clusters, assignment } = clusterSignatures(
      [['User', '<*>', 'logged', 'in']],
      [{ signature: 'User frank logged in', count: 1 }],
    );
    expect(clusters[0]?.seed).toBe(0);
    expect(assignment[0]).toBe(clusters[0]);
  });
});
