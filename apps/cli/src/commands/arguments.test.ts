import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseCount, parseJsonText } from './arguments.js';
import { parseErrorBurst } from './error-burst.js';
import { chooseReportFormat } from './report.js';
import { uploadFields } from './upload.js';

describe('parseErrorBurst', () => {
  it('reads a burst at a line or at a minute', () => {
    expect(parseErrorBurst('line=5000,lines=200,rate=0.8')).toEqual({ atLine: 5000, lines: 200, rate: 0.8 });
    expect(parseErrorBurst('minute=10, lines=300, rate=1, service=payments')).toEqual({
      atMinute: 10,
      lines: 300,
      rate: 1,
      service: 'payments',
    });
  });

  it('rejects incomplete or unknown specs with the expected shape in the message', () => {
    expect(() => parseErrorBurst('lines=200,rate=0.5')).toThrow('give line= or minute= (one of them)');
    expect(() => parseErrorBurst('line=1,minute=2,lines=200,rate=0.5')).toThrow('give line= or minute=');
    expect(() => parseErrorBurst('line=1,rate=0.5')).toThrow('lines= and rate= are required');
    expect(() => parseErrorBurst('line=1,lines=2,rate=half')).toThrow('rate= takes a number, got "half"');
    expect(() => parseErrorBurst('at=1,lines=2,rate=1')).toThrow(InvalidArgumentError);
  });
});

describe('option values', () => {
  it('reads counts with separators and rejects fractions', () => {
    expect(parseCount('--lines', 0)('1_000_000')).toBe(1_000_000);
    expect(parseCount('--lines', 0)('1e6')).toBe(1_000_000);
    expect(() => parseCount('--lines', 0)('2.5')).toThrow('--lines takes a whole number >= 0');
    expect(() => parseCount('--limit', 1)('0')).toThrow('--limit takes a whole number >= 1');
  });

  it('checks JSON options locally so a typo is a usage error, not a server round trip', () => {
    expect(parseJsonText('--clean')('{"minLevel":"WARN"}')).toBe('{"minLevel":"WARN"}');
    expect(() => parseJsonText('--clean')('{minLevel:WARN}')).toThrow(/^--clean must be JSON/);
  });

  it('sends only the upload options given, under the API field names', () => {
    expect(uploadFields({ format: 'json', tz: 'Europe/Paris', wait: true, force: true })).toEqual([
      { name: 'format', value: 'json' },
      { name: 'tz', value: 'Europe/Paris' },
    ]);
  });

  it('picks the report format from --format, else the file extension, else the mode', () => {
    expect(chooseReportFormat('html', 'out.md', false)).toBe('html');
    expect(chooseReportFormat(undefined, 'report.HTML', false)).toBe('html');
    expect(chooseReportFormat(undefined, 'report.markdown', true)).toBe('md');
    expect(chooseReportFormat(undefined, 'report.txt', false)).toBe('md');
    expect(chooseReportFormat(undefined, undefined, true)).toBe('json');
  });
});
