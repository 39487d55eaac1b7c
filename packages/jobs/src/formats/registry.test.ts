import { describe, expect, it } from 'vitest';
import { loadLoghubDataset } from '../loghub/dataset.js';
import { combinedFormat, commonFormat } from './access.js';
import { compileLoghubFormat } from './loghub.js';
import { rawFormat } from './raw.js';
import { BUILTIN_FORMATS, detectFormat, getFormat, listFormats } from './registry.js';
import { fixtureLines } from './test-fixtures.js';

const ctx = { referenceTime: Date.UTC(2024, 2, 10) };

describe('format registry', () => {
  it('lists the built-in formats by name', () => {
    expect(listFormats().map((f) => f.name)).toEqual([
      'json',
      'combined-timed',
      'combined',
      'common',
      'syslog5424',
      'syslog3164',
      'apache-error',
      'logfmt',
      'plain',
      'raw',
    ]);
  });

  it('finds formats by name or alias, case-insensitively', () => {
    expect(getFormat('combined')).toBe(combinedFormat);
    expect(getFormat('nginx')).toBe(combinedFormat);
    expect(getFormat('CLF')).toBe(commonFormat);
    expect(getFormat('syslog')?.name).toBe('syslog3164');
    expect(getFormat('httpd-error')?.name).toBe('apache-error');
    expect(getFormat('nope')).toBeUndefined();
    expect(getFormat('constructor')).toBeUndefined();
  });
});

describe('format declarations', () => {
  it('each format fills only the fields it declares, on its fixture lines', () => {
    const samples: Record<string, string> = {
      combined: 'access-combined.txt',
      common: 'access-common.txt',
      'combined-timed': 'access-timed.txt',
      json: 'json-lines.ndjson',
      plain: 'plain.txt',
      syslog3164: 'syslog3164.txt',
      syslog5424: 'syslog5424.txt',
      'apache-error': 'apache-error.txt',
      logfmt: 'logfmt.txt',
    };
    for (const [name, file] of Object.entries(samples)) {
      const format = getFormat(name);
      for (const line of fixtureLines(file)) {
        const parsed = format?.parse(line, ctx);
        expect(parsed, `${name}: ${line}`).not.toBeNull();
        for (const key of Object.keys(parsed ?? {}))
          expect(format?.fills, `${name} fills ${key}`).toContain(key);
      }
    }
  });
});

describe('detectFormat', () => {
  it.each([
    ['access-combined.txt', 'combined'],
    ['access-common.txt', 'common'],
    ['access-timed.txt', 'combined-timed'],
    ['json-lines.ndjson', 'json'],
    ['plain.txt', 'plain'],
    ['syslog3164.txt', 'syslog3164'],
    ['syslog5424.txt', 'syslog5424'],
    ['apache-error.txt', 'apache-error'],
    ['logfmt.txt', 'logfmt'],
    ['java-stack.txt', 'plain'],
    ['python-traceback.txt', 'plain'],
  ])('%s is %s with full confidence', (file, name) => {
    const detected = detectFormat(fixtureLines(file), ctx);
    expect([detected.format.name, detected.confidence]).toEqual([name, 1]);
  });

  it('ranks every candidate, best first', () => {
    const detected = detectFormat(fixtureLines('access-combined.txt'), ctx);
    expect(detected.ranking).toHaveLength(BUILTIN_FORMATS.length - 1);
    expect(detected.ranking.slice(0, 2)).toEqual([
      { name: 'combined', share: 1 },
      { name: 'json', share: 0 },
    ]);
  });

  it('breaks a tie on share by fields filled: syslog over plain for RFC 3339 syslog lines', () => {
    const lines = ['2024-03-03T10:00:03Z web-1 app[1]: started', '2024-03-03T10:00:04Z web-1 app[1]: ready'];
    const detected = detectFormat(lines, ctx);
    expect(detected.format.name).toBe('syslog3164');
    expect(detected.ranking.find((r) => r.name === 'plain')?.share).toBe(1);
  });

  it('gives a mixed sample its best candidate with the honest share', () => {
    const lines = [
      ...fixtureLines('access-combined.txt').slice(0, 3),
      'garbage one',
      'garbage two',
      'garbage three',
    ];
    const detected = detectFormat(lines, ctx);
    expect([detected.format.name, detected.confidence]).toEqual(['combined', 0.5]);
  });

  it('falls back to raw with confidence 0 when nothing fits, and on an empty sample', () => {
    expect(detectFormat(['hello', 'world'], ctx)).toMatchObject({ format: rawFormat, confidence: 0 });
    expect(detectFormat([], ctx)).toMatchObject({ format: rawFormat, confidence: 0 });
  });

  it('chooses among given candidates, such as a custom Loghub format', () => {
    const ds = loadLoghubDataset('HDFS');
    const hdfs = compileLoghubFormat('hdfs', ds.format);
    const detected = detectFormat(ds.lines.slice(0, 100), ctx, [...BUILTIN_FORMATS.slice(0, -1), hdfs]);
    expect([detected.format.name, detected.confidence]).toEqual(['hdfs', 1]);
  });
});
