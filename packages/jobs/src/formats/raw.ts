import type { LogFormat } from './types.js';

/**
 * The fallback: every line is a record whose message is the line itself, nothing else filled.
 * Chosen explicitly (`format: raw`) or by detection when no other format parses any sample line;
 * detection then reports confidence 0 so the caller can say the format was not recognised.
 * It is never a detection candidate itself, since it would always win on share.
 */
export const rawFormat: LogFormat = {
  name: 'raw',
  description: 'Fallback: each line kept as its message, no fields',
  fills: ['message'],
  multiline: false,
  parse: (line) => ({ message: line }),
};
