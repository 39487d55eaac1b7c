import { describe, expect, it } from 'vitest';
import { ChunkTemplates } from './chunk-templates.js';

describe('ChunkTemplates', () => {
  it("returns each message's local id, whose key is the one the handoff gives the analyze stage", () => {
    const templates = new ChunkTemplates();
    const messages = [
      'user 17 logged in from 10.0.0.1',
      'disk /dev/sda1 at 91%',
      'user 42 logged in from 10.0.0.9',
      'cache miss for key abc',
      'disk /dev/sdb2 at 12%',
      'user 17 logged in from 10.0.0.1',
    ];
    const ids = messages.map((m, i) => templates.add(m, 1_000 + i));
    const handoff = templates.handoff();
    const keys = ChunkTemplates.keys(handoff);
    expect(templates.signatureKeys).toEqual(keys);
    const returned = ids.map((id) => keys[id]);
    expect(new Set(returned)).toEqual(new Set(keys));
    expect(handoff.signatures.map(([, n]) => n).reduce((a, b) => a + b, 0)).toBe(messages.length);
    // Messages of one signature share its key, and its key sits at the signature's local id.
    expect(returned[0]).toBe(returned[2]);
    expect(returned[1]).toBe(returned[4]);
    expect(returned[0]).not.toBe(returned[1]);
    expect(keys[handoff.examples.indexOf('cache miss for key abc')]).toBe(returned[3]);
  });
});
