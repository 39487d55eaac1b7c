import { TemplateMiner } from '../../templates/miner.js';
import { signatureKey } from './duplicates.js';

/** Longest example message kept per signature. */
const EXAMPLE_CHARS = 300;

/** What a chunk hands to the analyze stage for template mining: its signatures with counts, one example each. */
export interface TemplateHandoff {
  /** [masked signature, messages] in local-id order. */
  signatures: [string, number][];
  /** The first message of each signature, cut to EXAMPLE_CHARS. */
  examples: string[];
  /** The earliest timestamp of each signature (epoch ms), null when none of its records had one. */
  firstSeen: (number | null)[];
}

/**
 * Template mining within one chunk: messages are masked and counted by signature (cheap); clustering
 * into templates waits for the analyze stage, which merges every chunk's signatures and so gives each
 * message the same template whichever chunk it was in.
 */
export class ChunkTemplates {
  private readonly miner = new TemplateMiner();
  private readonly examples: string[] = [];
  private readonly firstSeen: (number | null)[] = [];
  /** Each local id's signature key. */
  private readonly keys: number[] = [];

  /**
   * Counts the message; returns its signature's local id (the index of its key in `keys`, and of its
   * entry in the handoff), the same for every message of the signature in this chunk.
   */
  add(message: string, ts: number | undefined): number {
    const id = this.miner.add(message);
    if (id === this.keys.length) {
      this.examples.push(message.slice(0, EXAMPLE_CHARS));
      this.firstSeen.push(ts ?? null);
      this.keys.push(signatureKey(this.miner.signatureOf(id)));
    } else if (ts !== undefined) {
      const first = this.firstSeen[id];
      if (first === null || first === undefined || ts < first) this.firstSeen[id] = ts;
    }
    return id;
  }

  /** Each local id's stored signature key (signatureKey), the same in every chunk: the chunk's dictionary. */
  get signatureKeys(): readonly number[] {
    return this.keys;
  }

  handoff(): TemplateHandoff {
    return { signatures: this.miner.toJSON().signatures, examples: this.examples, firstSeen: this.firstSeen };
  }

  /** Each local id's stored signature key (53-bit hash of the signature), by local id. */
  static keys(handoff: TemplateHandoff): number[] {
    return handoff.signatures.map(([signature]) => signatureKey(signature));
  }
}
