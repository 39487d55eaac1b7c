import type { Level } from '../entry.js';
import { levelFromSyslogSeverity } from './level.js';

/** syslog facility names by number (RFC 5424 table 1), kept in `fields.facility`. */
const FACILITIES = [
  'kern',
  'user',
  'mail',
  'daemon',
  'auth',
  'syslog',
  'lpr',
  'news',
  'uucp',
  'cron',
  'authpriv',
  'ftp',
  'ntp',
  'security',
  'console',
  'clock',
  'local0',
  'local1',
  'local2',
  'local3',
  'local4',
  'local5',
  'local6',
  'local7',
];

export interface Pri {
  facility: string;
  level: Level;
  /** Index just past the closing `>`. */
  end: number;
}

/** Reads `<PRI>` (1 to 3 digits, 0..191) at the start of a line; undefined when absent or out of range. */
export function scanPri(line: string): Pri | undefined {
  if (line.charCodeAt(0) !== 60) return undefined;
  let value = 0;
  let i = 1;
  for (; i <= 4; i++) {
    const c = line.charCodeAt(i);
    if (c === 62) break;
    if (c < 48 || c > 57) return undefined;
    value = value * 10 + (c - 48);
  }
  if (i === 1 || i > 4 || value > 191) return undefined;
  const level = levelFromSyslogSeverity(value & 7);
  const facility = FACILITIES[value >> 3];
  return level && facility ? { facility, level, end: i + 1 } : undefined;
}
