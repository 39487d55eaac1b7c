import { describe, expect, it } from 'vitest';
import { loadLoghubDataset } from '../loghub/dataset.js';
import { apacheErrorFormat } from './apache-error.js';
import { detectFormat } from './registry.js';
import { fixtureLines } from './test-fixtures.js';

describe('Apache error log', () => {
  const parsed = fixtureLines('apache-error.txt').map((l) => apacheErrorFormat.parse(l, {}));

  it('reads the 2.2 layout: time, level, client', () => {
    expect(parsed[0]).toEqual({
      ts: Date.UTC(2005, 11, 4, 4, 47, 44),
      level: 'INFO',
      message: 'workerEnv.init() ok /etc/httpd/conf/workers2.properties',
    });
    expect(parsed[1]).toEqual({
      ts: Date.UTC(2005, 11, 4, 4, 47, 44),
      level: 'ERROR',
      host: '10.0.0.153',
      message: 'File does not exist: /var/www/html/favicon.ico',
    });
  });

  it('reads the 2.4 layout: fractions of a second, module, pid and tid, client without its port', () => {
    expect(parsed[2]).toEqual({
      ts: Date.UTC(2000, 9, 11, 14, 32, 52, 123),
      level: 'ERROR',
      host: '72.15.99.187',
      message: 'AH00128: File does not exist: /usr/local/apache2/htdocs/favicon.ico',
      fields: { module: 'core', pid: '35708', tid: '4328636416' },
    });
    expect(parsed[3]).toMatchObject({ ts: Date.UTC(2024, 2, 7, 9, 1, 2), level: 'WARN' });
    expect(parsed[4]).toEqual({
      ts: Date.UTC(2024, 2, 7, 9, 1, 3, 500),
      level: 'TRACE',
      host: '10.1.2.4',
      message: '[key] authorization result: granted',
      fields: { module: 'authz_core', pid: '1202', tid: '140', remote: '10.1.2.3:40000' },
    });
  });

  it('reads the time in the upload zone, which it carries', () => {
    expect(
      apacheErrorFormat.parse(fixtureLines('apache-error.txt')[0] as string, { tz: 'Europe/Paris' }),
    ).toMatchObject({
      ts: Date.UTC(2005, 11, 4, 3, 47, 44),
      tz: 'Europe/Paris',
    });
  });

  it('takes no line whose time or level is not one', () => {
    for (const line of [
      '[Sun Dec 04 04:47:44 2005] [chatty] something',
      '[Sun Foo 04 04:47:44 2005] [error] something',
      '[Sun Feb 30 04:47:44 2005] [error] something',
      '[Sun Dec 04 04:47:44 05] [error] something',
      '[Sun Dec 04 04:47:44 2005][error] something',
      '[Sun Dec 04 04:47:44. 2005] [error] something',
      '2005-12-04 04:47:44 [error] something',
      '[2005-12-04 04:47:44] [error] something',
      '',
    ])
      expect(apacheErrorFormat.parse(line, {}), line).toBeNull();
  });

  it("is detected for loghub's Apache sample, and parses every line of it", () => {
    const ds = loadLoghubDataset('Apache');
    const lines = ds.lines;
    expect(detectFormat(lines.slice(0, 200), {}).format.name).toBe('apache-error');
    const levels = new Map<string, number>();
    for (const line of lines) {
      const p = apacheErrorFormat.parse(line, {});
      expect(p, line).not.toBeNull();
      levels.set(p?.level ?? '', (levels.get(p?.level ?? '') ?? 0) + 1);
    }
    expect(Object.fromEntries(levels)).toEqual({ INFO: 1405, ERROR: 595 });
  });
});
