/** Option value parsers shared by commands; a bad value is a usage error (exit 2) naming the option. */
import { InvalidArgumentError } from 'commander';

/** A whole number >= `min`; "1e6" and "1_000_000" are accepted for big line counts. */
export function parseCount(name: string, min: number): (value: string) => number {
  return (value) => {
    const n = Number(value.replace(/_/g, ''));
    if (!Number.isSafeInteger(n) || n < min)
      throw new InvalidArgumentError(`${name} takes a whole number >= ${min}`);
    return n;
  };
}

/** A finite number > 0. */
export function parsePositive(name: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} takes a number > 0`);
    return n;
  };
}

/** A JSON value, for options the server takes as JSON (`--clean`). */
export function parseJsonText(name: string): (value: string) => string {
  return (value) => {
    try {
      JSON.parse(value);
    } catch (err) {
      throw new InvalidArgumentError(`${name} must be JSON (${(err as Error).message})`);
    }
    return value;
  };
}
