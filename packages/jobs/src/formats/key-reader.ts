import type { FieldValue } from '../entry.js';

/**
 * Reads recognised keys out of a structured record (JSON, logfmt) and hands back the others.
 * Keys are marked as used rather than deleted: `delete` turns an object into a slow dictionary,
 * which cost the JSON parser more than JSON.parse itself.
 */
export class KeyReader {
  private readonly used: string[] = [];

  constructor(private readonly fields: Record<string, FieldValue>) {}

  /** The first of `keys` holding a string, marked used. */
  string(keys: readonly string[]): string | undefined {
    for (const key of keys) {
      const v = this.fields[key];
      if (typeof v === 'string') {
        this.used.push(key);
        return v;
      }
    }
    return undefined;
  }

  /** The first of `keys` holding a number, marked used. */
  number(keys: readonly string[]): number | undefined {
    for (const key of keys) {
      const v = this.fields[key];
      if (typeof v === 'number') {
        this.used.push(key);
        return v;
      }
    }
    return undefined;
  }

  /** The first of `keys` whose value `read` accepts, marked used. */
  first<T>(keys: readonly string[], read: (value: FieldValue) => T | undefined): T | undefined {
    for (const key of keys) {
      const v = this.fields[key];
      if (v === undefined) continue;
      const out = read(v);
      if (out !== undefined) {
        this.used.push(key);
        return out;
      }
    }
    return undefined;
  }

  /** The fields not used. */
  rest(): Record<string, FieldValue> {
    if (this.used.length === 0) return this.fields;
    const out: Record<string, FieldValue> = {};
    for (const key in this.fields) if (!this.used.includes(key)) out[key] = this.fields[key] as FieldValue;
    return out;
  }
}
