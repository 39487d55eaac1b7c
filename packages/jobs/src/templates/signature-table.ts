/**
 * Signatures by content, looked up straight from a code-unit buffer: the per-line path hashes the masked
 * buffer and compares it in place, and builds a string only for a signature never seen before.
 * Open addressing with linear probing, kept at most half full.
 */
export class SignatureTable {
  /** Signature text by id (ids run 0, 1, 2, ... in insertion order). */
  readonly signatures: string[] = [];
  private readonly hashes: number[] = [];
  /** id + 1 per slot, 0 for empty. */
  private slots = new Int32Array(1024);

  get size(): number {
    return this.signatures.length;
  }

  /** FNV-1a (32 bits) of `buffer[0, length)`, fed two code units at a time. */
  static hash(buffer: Uint16Array, length: number): number {
    let h = 0x811c9dc5 ^ length;
    let i = 0;
    for (; i + 1 < length; i += 2)
      h = Math.imul(h ^ ((buffer[i] as number) | ((buffer[i + 1] as number) << 16)), 0x01000193);
    if (i < length) h = Math.imul(h ^ (buffer[i] as number), 0x01000193);
    return h ^ (h >>> 15);
  }

  /** The same hash of a string, equal to `hash` of its code units in a buffer. */
  static hashString(s: string): number {
    const length = s.length;
    let h = 0x811c9dc5 ^ length;
    let i = 0;
    for (; i + 1 < length; i += 2)
      h = Math.imul(h ^ (s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16)), 0x01000193);
    if (i < length) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    return h ^ (h >>> 15);
  }

  /** The id of a signature given as a string, or -1. */
  findString(signature: string): number {
    const hash = SignatureTable.hashString(signature);
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot] as number;
      if (entry === 0) return -1;
      if (this.hashes[entry - 1] === hash && this.signatures[entry - 1] === signature) return entry - 1;
    }
  }

  /** The id of the signature held in `buffer[0, length)` (with its `hash`), or -1. */
  find(buffer: Uint16Array, length: number, hash: number): number {
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot] as number;
      if (entry === 0) return -1;
      const id = entry - 1;
      if (this.hashes[id] === hash && equals(this.signatures[id] as string, buffer, length)) return id;
    }
  }

  /** Adds a signature not yet present (with its `hash`); returns its id. */
  insert(signature: string, hash: number): number {
    const id = this.signatures.length;
    this.signatures.push(signature);
    this.hashes.push(hash);
    if (2 * (id + 1) > this.slots.length) this.grow();
    else this.place(id, hash);
    return id;
  }

  private place(id: number, hash: number): void {
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = id + 1;
  }

  private grow(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    this.hashes.forEach((h, id) => {
      this.place(id, h);
    });
  }
}

function equals(s: string, buffer: Uint16Array, length: number): boolean {
  if (s.length !== length) return false;
  for (let i = 0; i < length; i++) if (s.charCodeAt(i) !== buffer[i]) return false;
  return true;
}
