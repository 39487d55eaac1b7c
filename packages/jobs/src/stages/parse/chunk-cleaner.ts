import { FLAG, type FlagName, type ParsedFields } from '../../entry.js';
import type { CleanRules } from '../../uploads/options.js';
import { KeySet } from '../dedup-keys.js';
import { compileCleanRules, firstDroppingRule } from './clean-rules.js';
import { exactDuplicateKey, messageKey } from './duplicates.js';

const FLAG_NAMES = Object.keys(FLAG) as FlagName[];

/** What a chunk hands to the clean stage so that cleaning across chunk boundaries matches cleaning the whole file. */
export interface CleanHandoff {
  flags: Partial<Record<FlagName, number>>;
  /** Removals per clean rule, in rule order (the dedup window rule last, when set). */
  rules: { rule: string; removed: number }[];
  /** Dedup window: each message key's first occurrence [key, ts, offset] and last time seen [key, ts]. */
  windowHeads: [number, number, number][];
  windowTails: [number, number][];
}

export const dedupWindowLabel = (seconds: number) => `dedupWindowSeconds=${seconds}`;

/**
 * Decides, record by record, what cleaning does to it within one chunk: clean rules first (the first
 * rule that matches is credited), then exact duplicates (same raw text as an earlier record), then the
 * dedup window (same service and message as a record seen less than the window earlier). What a chunk
 * cannot see alone (an earlier chunk's records) is settled by the clean stage from the handoff.
 */
export class ChunkCleaner {
  private readonly rules;
  private readonly ruleCounts: number[];
  private readonly flagCounts: Partial<Record<FlagName, number>> = {};
  private readonly seen: KeySet;
  /** The first occurrences as [key, offset] pairs, packed as dedup-keys.ts stores them. */
  private firstPairs: Float64Array;
  private firstCount = 0;
  private readonly windowMs: number;
  private readonly windowSeconds: number;
  /** message key -> [first ts, first offset, last ts] within this chunk. */
  private readonly windowSeen = new Map<number, [number, number, number]>();
  private windowDropped = 0;

  /** `expectedRecords` sizes the key tables up front (they still grow past it). */
  constructor(rules: CleanRules | undefined, expectedRecords = 1024) {
    const expected = Math.max(16, Math.ceil(expectedRecords));
    this.seen = new KeySet(expected);
    this.firstPairs = new Float64Array(2 * expected);
    this.rules = compileCleanRules(rules);
    this.ruleCounts = this.rules.map(() => 0);
    this.windowSeconds = rules?.dedupWindowSeconds ?? 0;
    this.windowMs = this.windowSeconds * 1000;
  }

  /**
   * The record's flags after cleaning, given the flags parsing set; `offset` is its byte offset, `rawKey`
   * the exact-duplicate key of `raw` when the caller has it (LogRecord.key).
   */
  classify(fields: ParsedFields, raw: string, flags: number, offset: number, rawKey?: number): number {
    let out = flags;
    const rule = firstDroppingRule(this.rules, fields);
    if (rule >= 0) {
      out |= FLAG.droppedByRule;
      this.ruleCounts[rule] = (this.ruleCounts[rule] ?? 0) + 1;
    } else {
      const key = rawKey ?? exactDuplicateKey(raw);
      if (!this.seen.add(key)) out |= FLAG.duplicate;
      else {
        this.keepFirst(key, offset);
        if (
          this.windowMs > 0 &&
          fields.ts !== undefined &&
          this.repeatsWithinWindow(fields, fields.ts, offset)
        ) {
          out |= FLAG.droppedByRule;
          this.windowDropped++;
        }
      }
    }
    if (out !== 0) {
      for (const name of FLAG_NAMES)
        if (out & FLAG[name]) this.flagCounts[name] = (this.flagCounts[name] ?? 0) + 1;
    }
    return out;
  }

  private keepFirst(key: number, offset: number): void {
    const at = this.firstCount * 2;
    if (at === this.firstPairs.length) {
      const grown = new Float64Array(this.firstPairs.length * 2);
      grown.set(this.firstPairs);
      this.firstPairs = grown;
    }
    this.firstPairs[at] = key;
    this.firstPairs[at + 1] = offset;
    this.firstCount++;
  }

  /** Records the occurrence; true when the same message was seen within the window before it. */
  private repeatsWithinWindow(fields: ParsedFields, ts: number, offset: number): boolean {
    const key = messageKey(fields.service ?? '', fields.message);
    const prev = this.windowSeen.get(key);
    if (!prev) {
      this.windowSeen.set(key, [ts, offset, ts]);
      return false;
    }
    const repeats = Math.abs(ts - prev[2]) <= this.windowMs;
    prev[2] = ts;
    return repeats;
  }

  handoff(): CleanHandoff {
    const rules = this.rules.map((r, i) => ({ rule: r.label, removed: this.ruleCounts[i] ?? 0 }));
    if (this.windowMs > 0)
      rules.push({ rule: dedupWindowLabel(this.windowSeconds), removed: this.windowDropped });
    const windowHeads: [number, number, number][] = [];
    const windowTails: [number, number][] = [];
    for (const [key, [firstTs, firstOffset, lastTs]] of this.windowSeen) {
      windowHeads.push([key, firstTs, firstOffset]);
      windowTails.push([key, lastTs]);
    }
    return { flags: this.flagCounts, rules, windowHeads, windowTails };
  }

  /**
   * Exact-duplicate keys of the chunk's first occurrences with their byte offsets (which give their ids),
   * packed (dedup-keys.ts): stored beside the chunk's summary for the clean stage.
   */
  dedupPairs(): Buffer {
    const pairs = this.firstPairs.subarray(0, this.firstCount * 2);
    return Buffer.from(pairs.buffer, pairs.byteOffset, pairs.byteLength);
  }
}
