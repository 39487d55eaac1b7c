import type { CompiledTemplate } from './messages.js';

/** Writes one line (without its "\n") of a given format for the kind of event the generator chose. */
export interface LineMaker {
  /** Ordinary traffic or application activity. */
  normal(epochMs: number): string;
  /** An error line for a burst: a 5xx response or an ERROR record, from `service` when given. */
  error(epochMs: number, service?: string): string;
  /** A line carrying a message shape never seen before (for access logs: the request path). */
  novel(epochMs: number, template: CompiledTemplate): string;
}
