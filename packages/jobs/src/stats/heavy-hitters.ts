/** Default number of counters: items above 1% of the stream are always found. */
export const DEFAULT_HEAVY_HITTERS_CAPACITY = 100;

export interface HeavyHitter {
  item: string;
  /** Estimated frequency: never below the true frequency, at most `errorBound` above it. */
  count: number;
  /** This item's own overestimate bound: the true frequency is in [count - error, count]. */
  error: number;
}

export interface HeavyHittersJSON {
  capacity: number;
  total: number;
  /** True while every item of the stream is listed with its exact count (nothing was ever evicted). */
  exhaustive: boolean;
  /** [item, count, error] */
  items: [string, number, number][];
}

/**
 * The most frequent items of a stream in bounded memory: Space-Saving (Metwally et al. 2005) with k
 * counters, mergeable as in Agarwal et al., "Mergeable Summaries" (2012).
 *
 * Guarantee, for a stream (or a merge of streams) of N items and k = capacity, and every item x of true
 * frequency f(x):
 *   - if x is kept, f(x) <= count(x) <= f(x) + N / k, and count(x) - error(x) <= f(x);
 *   - if x is not kept, f(x) <= the smallest kept count <= N / k.
 * So every item with f(x) > N / k is kept. Items cannot be removed: subtracting from a counter would break
 * the bound for items that were evicted earlier.
 */
/** One counter; `heapIndex` is its place in the heap, kept on the object so swaps touch no map. */
interface Counter {
  item: string;
  count: number;
  error: number;
  heapIndex: number;
}

export class HeavyHitters {
  readonly capacity: number;
  private totalCount = 0;
  private exhaustive = true;
  /** A binary min-heap on count. */
  private heap: Counter[] = [];
  private readonly byItem = new Map<string, Counter>();

  constructor(capacity = DEFAULT_HEAVY_HITTERS_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`capacity must be >= 1: ${capacity}`);
    this.capacity = capacity;
  }

  static fromJSON(json: HeavyHittersJSON): HeavyHitters {
    const summary = new HeavyHitters(json.capacity);
    summary.totalCount = json.total;
    summary.exhaustive = json.exhaustive;
    summary.rebuild(json.items.map(([item, count, error]) => ({ item, count, error })));
    return summary;
  }

  /** Stream length N, the sum of all weights added. */
  get total(): number {
    return this.totalCount;
  }

  /**
   * The largest possible overestimate of any count, which is also the most an unlisted item can occur:
   * 0 while nothing was evicted, else the smallest kept count.
   */
  get errorBound(): number {
    return this.exhaustive ? 0 : (this.heap[0]?.count ?? 0);
  }

  add(item: string, weight = 1): void {
    this.totalCount += weight;
    const counter = this.byItem.get(item);
    if (counter !== undefined) {
      counter.count += weight;
      this.siftDown(counter.heapIndex);
    } else if (this.heap.length < this.capacity) {
      const created = { item, count: weight, error: 0, heapIndex: this.heap.length };
      this.heap.push(created);
      this.byItem.set(item, created);
      this.siftUp(created.heapIndex);
    } else {
      // Evict the smallest counter; the newcomer inherits its count as possible overestimate.
      this.exhaustive = false;
      const smallest = this.heap[0]!;
      this.byItem.delete(smallest.item);
      smallest.item = item;
      smallest.error = smallest.count;
      smallest.count += weight;
      this.byItem.set(item, smallest);
      this.siftDown(0);
    }
  }

  /** The kept estimate for `item`, or undefined when it is not kept (its frequency is then <= errorBound). */
  estimate(item: string): HeavyHitter | undefined {
    const counter = this.byItem.get(item);
    return counter === undefined ? undefined : { item, count: counter.count, error: counter.error };
  }

  /** The kept items by count, highest first (ties by item), at most `limit`. */
  top(limit = this.capacity): HeavyHitter[] {
    return this.entries().sort(byCountThenItem).slice(0, limit);
  }

  /**
   * Folds in a summary of another stream. An item missing from one side is counted there at that side's
   * smallest kept count (its frequency there is at most that), then the k largest counts are kept.
   */
  merge(other: HeavyHitters): void {
    if (other.capacity !== this.capacity) {
      throw new Error(
        `cannot merge heavy-hitter summaries of capacity ${this.capacity} and ${other.capacity}`,
      );
    }
    const leftFloor = this.errorBound;
    const rightFloor = other.errorBound;
    const merged = new Map<string, HeavyHitter>();
    for (const entry of this.entries()) {
      const right = other.estimate(entry.item);
      merged.set(entry.item, {
        item: entry.item,
        count: entry.count + (right?.count ?? rightFloor),
        error: entry.error + (right?.error ?? rightFloor),
      });
    }
    for (const entry of other.entries()) {
      if (merged.has(entry.item)) continue;
      merged.set(entry.item, {
        item: entry.item,
        count: entry.count + leftFloor,
        error: entry.error + leftFloor,
      });
    }
    this.totalCount += other.totalCount;
    this.exhaustive = this.exhaustive && other.exhaustive && merged.size <= this.capacity;
    this.rebuild([...merged.values()].sort(byCountThenItem).slice(0, this.capacity));
  }

  toJSON(): HeavyHittersJSON {
    return {
      capacity: this.capacity,
      total: this.totalCount,
      exhaustive: this.exhaustive,
      items: this.top().map((h) => [h.item, h.count, h.error]),
    };
  }

  private entries(): HeavyHitter[] {
    return this.heap.map(({ item, count, error }) => ({ item, count, error }));
  }

  private rebuild(entries: readonly HeavyHitter[]): void {
    this.heap = [];
    this.byItem.clear();
    for (const { item, count, error } of entries) {
      const counter = { item, count, error, heapIndex: this.heap.length };
      this.heap.push(counter);
      this.byItem.set(item, counter);
      this.siftUp(counter.heapIndex);
    }
  }

  private place(counter: Counter, index: number): void {
    this.heap[index] = counter;
    counter.heapIndex = index;
  }

  private siftUp(start: number): void {
    const heap = this.heap;
    const moving = heap[start]!;
    let i = start;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]!.count <= moving.count) break;
      this.place(heap[parent]!, i);
      i = parent;
    }
    this.place(moving, i);
  }

  private siftDown(start: number): void {
    const heap = this.heap;
    const size = heap.length;
    const moving = heap[start]!;
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= size) break;
      const right = left + 1;
      const smaller = right < size && heap[right]!.count < heap[left]!.count ? right : left;
      if (moving.count <= heap[smaller]!.count) break;
      this.place(heap[smaller]!, i);
      i = smaller;
    }
    this.place(moving, i);
  }
}

function byCountThenItem(a: HeavyHitter, b: HeavyHitter): number {
  return b.count - a.count || (a.item < b.item ? -1 : a.item > b.item ? 1 : 0);
}
