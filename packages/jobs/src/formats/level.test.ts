import { describe, expect, it } from 'vitest';
import { levelFromPinoNumber, levelFromStatus, levelFromSyslogSeverity, normalizeLevel } from './level.js';

describe('normalizeLevel', () => {
  it.each([
    ['INFO', 'INFO'],
    ['info', 'INFO'],
    ['Information', 'INFO'],
    ['notice', 'INFO'],
    ['warning', 'WARN'],
    ['WARN', 'WARN'],
    ['err', 'ERROR'],
    ['SEVERE', 'ERROR'],
    ['crit', 'FATAL'],
    ['emerg', 'FATAL'],
    ['panic', 'FATAL'],
    ['trace', 'TRACE'],
    ['verbose', 'TRACE'],
    ['DEBUG', 'DEBUG'],
    ['I', 'INFO'],
    ['W', 'WARN'],
    ['E', 'ERROR'],
    ['F', 'FATAL'],
    ['D', 'DEBUG'],
    ['30', 'INFO'],
    ['3', 'ERROR'],
  ] as const)('%s -> %s', (spelling, level) => {
    expect(normalizeLevel(spelling)).toBe(level);
  });

  it('reads pino numbers and syslog severities', () => {
    expect([10, 20, 30, 40, 50, 60, 35, 70].map((n) => normalizeLevel(n))).toEqual([
      'TRACE',
      'DEBUG',
      'INFO',
      'WARN',
      'ERROR',
      'FATAL',
      'INFO',
      'FATAL',
    ]);
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((n) => normalizeLevel(n))).toEqual([
      'FATAL',
      'FATAL',
      'FATAL',
      'ERROR',
      'WARN',
      'INFO',
      'INFO',
      'DEBUG',
    ]);
  });

  it('returns undefined for words that are not levels, lower-case letters and odd numbers', () => {
    expect(normalizeLevel('combo')).toBeUndefined();
    expect(normalizeLevel('i')).toBeUndefined();
    expect(normalizeLevel('')).toBeUndefined();
    expect(normalizeLevel(8)).toBeUndefined();
    expect(normalizeLevel(-1)).toBeUndefined();
    expect(normalizeLevel(Number.NaN)).toBeUndefined();
    expect(normalizeLevel(undefined)).toBeUndefined();
    expect(normalizeLevel('constructor')).toBeUndefined();
  });
});

describe('level helpers', () => {
  it('maps HTTP status, syslog severity and pino numbers', () => {
    expect([200, 302, 404, 499, 500, 503].map(levelFromStatus)).toEqual([
      'INFO',
      'INFO',
      'WARN',
      'WARN',
      'ERROR',
      'ERROR',
    ]);
    expect(levelFromSyslogSeverity(4)).toBe('WARN');
    expect(levelFromSyslogSeverity(8)).toBeUndefined();
    expect(levelFromPinoNumber(9)).toBeUndefined();
  });
});
