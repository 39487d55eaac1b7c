import { BloomFilter, type BloomFilterJSON } from './bloom-filter.js';

/** Default false-positive rate of the watchlist's filter: 1%. */
export const WATCHLIST_FALSE_POSITIVE_RATE = 0.01;

export interface WatchlistJSON {
  items: string[];
  filter: BloomFilterJSON;
}

/** What matched: the watched string and whether it was the message or the template text. */
export interface WatchlistMatch {
  item: string;
  on: 'message' | 'template';
}

/**
 * Messages or template texts someone asked to watch for, compared as exact strings.
 *
 * `match` asks the Bloom filter first and confirms a "maybe" against the exact set, so a reported match is
 * always exact (the filter's false positives never reach the user) while the common case, a line that
 * matches nothing, is answered by the filter alone. In-process the exact Set would also be cheap; the
 * filter earns its place because its serialised form is small and fixed in size whatever the list holds,
 * so it can travel with every chunk job, and a worker can screen lines with it before loading the list.
 */
export class Watchlist {
  private readonly exact: Set<string>;
  private readonly filter: BloomFilter;

  private constructor(exact: Set<string>, filter: BloomFilter) {
    this.exact = exact;
    this.filter = filter;
  }

  /** Builds a watchlist of `items`; the filter is sized for them at `falsePositiveRate` (default 1%). */
  static of(items: Iterable<string>, falsePositiveRate = WATCHLIST_FALSE_POSITIVE_RATE): Watchlist {
    const exact = new Set(items);
    const filter = BloomFilter.forCapacity(Math.max(1, exact.size), falsePositiveRate);
    for (const item of exact) filter.add(item);
    return new Watchlist(exact, filter);
  }

  static fromJSON(json: WatchlistJSON): Watchlist {
    return new Watchlist(new Set(json.items), BloomFilter.fromJSON(json.filter));
  }

  get size(): number {
    return this.exact.size;
  }

  /** The first watched string equal to `message`, else to `templateText`; null when neither is watched. */
  match(message: string, templateText?: string): WatchlistMatch | null {
    if (this.filter.has(message) && this.exact.has(message)) return { item: message, on: 'message' };
    if (templateText !== undefined && this.filter.has(templateText) && this.exact.has(templateText)) {
      return { item: templateText, on: 'template' };
    }
    return null;
  }

  matches(message: string, templateText?: string): boolean {
    return this.match(message, templateText) !== null;
  }

  toJSON(): WatchlistJSON {
    return { items: [...this.exact], filter: this.filter.toJSON() };
  }
}
