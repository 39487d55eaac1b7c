/**
 * `--error-burst line=5000,lines=200,rate=0.8[,service=payments]` (or `minute=10` instead of `line`):
 * a stretch of the generated log where errors replace normal traffic.
 */
import { InvalidArgumentError } from 'commander';

/** The generator's ErrorBurst (packages/jobs/src/generate/options.ts), which checks the ranges. */
export interface ErrorBurstSpec {
  atLine?: number;
  atMinute?: number;
  lines: number;
  rate: number;
  service?: string;
}

export const ERROR_BURST_HELP = 'line=N|minute=M,lines=N,rate=0..1[,service=NAME]';

export function parseErrorBurst(spec: string): ErrorBurstSpec {
  const values = new Map<string, string>();
  for (const pair of spec.split(',')) {
    const eq = pair.indexOf('=');
    const key = pair.slice(0, eq).trim();
    if (eq <= 0 || !['line', 'minute', 'lines', 'rate', 'service'].includes(key) || values.has(key)) {
      throw new InvalidArgumentError(`expected ${ERROR_BURST_HELP}, got "${pair.trim()}"`);
    }
    values.set(key, pair.slice(eq + 1).trim());
  }
  const number = (key: string) => {
    const text = values.get(key);
    if (text === undefined) return undefined;
    const n = Number(text);
    if (text === '' || !Number.isFinite(n))
      throw new InvalidArgumentError(`${key}= takes a number, got "${text}"`);
    return n;
  };
  const atLine = number('line');
  const atMinute = number('minute');
  const lines = number('lines');
  const rate = number('rate');
  if ((atLine === undefined) === (atMinute === undefined))
    throw new InvalidArgumentError('give line= or minute= (one of them)');
  if (lines === undefined || rate === undefined)
    throw new InvalidArgumentError(`lines= and rate= are required: ${ERROR_BURST_HELP}`);
  const service = values.get('service');
  return {
    ...(atLine !== undefined ? { atLine } : { atMinute }),
    lines,
    rate,
    ...(service ? { service } : {}),
  };
}
