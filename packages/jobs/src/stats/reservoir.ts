import { SeededRandom } from './prng.js';

/** Default number of items a reservoir keeps. */
export const DEFAULT_RESERVOIR_SIZE = 100;

export interface ReservoirJSON<T> {
  capacity: number;
  /** Items offered so far (over all merged reservoirs). */
  seen: number;
  /** State of the generator, so later draws continue the same sequence. */
  rng: number;
  items: T[];
}

/**
 * A uniform random sample of up to `capacity` items of a stream (Algorithm R): after n items, every
 * k-subset of them is equally likely to be the sample. Seeded, so a run is reproducible.
 *
 * Reservoirs that will be merged need different seeds (derive one per chunk, e.g. from the chunk index):
 * two reservoirs filled with the same seed pick the same positions, and their union is then not a uniform
 * sample. Items cannot be removed: the sample may keep an entry later found to be a duplicate.
 */
export class Reservoir<T> {
  readonly capacity: number;
  private items: T[] = [];
  private seenCount = 0;
  private readonly rng: SeededRandom;

  constructor(capacity = DEFAULT_RESERVOIR_SIZE, seed = 1) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`capacity must be >= 1: ${capacity}`);
    this.capacity = capacity;
    this.rng = new SeededRandom(seed);
  }

  static fromJSON<T>(json: ReservoirJSON<T>): Reservoir<T> {
    const reservoir = new Reservoir<T>(json.capacity, json.rng);
    reservoir.items = [...json.items];
    reservoir.seenCount = json.seen;
    return reservoir;
  }

  get seen(): number {
    return this.seenCount;
  }

  get sample(): readonly T[] {
    return this.items;
  }

  /**
   * Counts one more stream item and returns the slot it must be stored in with `store`, or -1 when the
   * sample skips it. Lets a caller build the stored copy only for the few items that are kept.
   */
  reserveSlot(): number {
    const index = this.seenCount++;
    if (index < this.capacity) return index;
    const slot = this.rng.below(index + 1);
    return slot < this.capacity ? slot : -1;
  }

  store(slot: number, item: T): void {
    this.items[slot] = item;
  }

  add(item: T): void {
    const slot = this.reserveSlot();
    if (slot >= 0) this.store(slot, item);
  }

  /**
   * Folds in a reservoir of another part of the stream so the result is a uniform sample of both parts:
   * the number taken from each side is drawn as k draws without replacement from n1 + n2 items, then that
   * many items are picked at random from each side's sample (each side's sample being uniform over its
   * own part, a uniform subset of it is too).
   */
  merge(other: Reservoir<T>): void {
    if (other.capacity !== this.capacity) {
      throw new Error(`cannot merge reservoirs of capacity ${this.capacity} and ${other.capacity}`);
    }
    let leftRemaining = this.seenCount;
    let rightRemaining = other.seenCount;
    const total = leftRemaining + rightRemaining;
    if (total <= this.capacity) {
      this.items = [...this.items, ...other.items];
    } else {
      let fromLeft = 0;
      for (let i = 0; i < this.capacity; i++) {
        if (this.rng.next() * (leftRemaining + rightRemaining) < leftRemaining) {
          fromLeft++;
          leftRemaining--;
        } else {
          rightRemaining--;
        }
      }
      this.items = [
        ...this.pickRandom(this.items, fromLeft),
        ...this.pickRandom(other.items, this.capacity - fromLeft),
      ];
    }
    this.seenCount = total;
  }

  /** `count` items of `items` chosen uniformly without replacement (partial Fisher-Yates on a copy). */
  private pickRandom(items: readonly T[], count: number): T[] {
    const pool = [...items];
    for (let i = 0; i < count; i++) {
      const j = i + this.rng.below(pool.length - i);
      const chosen = pool[j]!;
      pool[j] = pool[i]!;
      pool[i] = chosen;
    }
    return pool.slice(0, count);
  }

  toJSON(): ReservoirJSON<T> {
    return { capacity: this.capacity, seen: this.seenCount, rng: this.rng.seed, items: [...this.items] };
  }
}
