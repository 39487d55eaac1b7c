import { generateLines, mineTemplates } from '@logsift/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, type Harness, multipart, startHarness } from './test-support/harness.js';

interface Entry {
  message: string;
  templateId: string | null;
  level: string | null;
}

describe('analysis: templates, anomalies, watchlist', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { CHUNK_BYTES: '65536' } });
  });
  afterAll(() => h.close());

  async function upload(text: string, fields: Record<string, string>) {
    const body = multipart([{ filename: 'app.log', content: text }], fields);
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/uploads?wait=true&force=true',
      headers: { ...AUTH, ...body.headers },
      payload: body.payload,
    });
    expect(res.statusCode).toBe(200);
    const u = res.json().uploads[0];
    expect(u.status).toBe('completed');
    return u;
  }
  async function allEntries(id: string): Promise<Entry[]> {
    const out: Entry[] = [];
    let cursor: number | null = null;
    do {
      const page: { entries: Entry[]; nextCursor: number | null } = (
        await h.app.inject({
          url: `/api/uploads/${id}/entries?limit=1000${cursor ? `&cursor=${cursor}` : ''}`,
          headers: AUTH,
        })
      ).json();
      out.push(...page.entries);
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }

  const base = { format: 'plain' as const, lines: 12_000, linesPerSecond: 20, services: ['api'] };

  it('mines the same templates chunk by chunk as over the whole file, and persists them per service', async () => {
    const text = `${[...generateLines({ ...base, seed: 5 })].join('\n')}\n`;
    const u = await upload(text, { service: 'shop' });
    expect(u.chunks).toBeGreaterThan(10);
    const entries = await allEntries(u.id);
    expect(entries).toHaveLength(u.counts.records - u.counts.dropped);
    // Every entry's template is the one mining the whole file at once gives its message.
    const whole = mineTemplates(entries.map((e) => e.message));
    expect(entries.map((e) => e.templateId)).toEqual(whole.ids);
    expect(u.report.templates.total).toBe(whole.templates.size);
    expect(u.report.templates.newCount).toBe(whole.templates.size); // a fresh service: all new
    const counted = u.report.templates.top.reduce((n: number, t: { count: number }) => n + t.count, 0);
    expect(counted).toBeLessThanOrEqual(entries.length);
    // Filtering by template returns exactly that template's entries.
    const top = u.report.templates.top[0];
    const filtered = await h.app.inject({
      url: `/api/uploads/${u.id}/entries?template=${top.id}&limit=1000`,
      headers: AUTH,
    });
    expect(filtered.json().entries.length).toBe(
      Math.min(1000, entries.filter((e) => e.templateId === top.id).length),
    );

    // The same service later: known templates keep their ids and are not new; the injected one is.
    const later = `${[...generateLines({ ...base, seed: 6, newTemplate: { atLine: 3000, message: 'cache shard {id} rebalanced in {ms} ms', count: 40, every: 50 } })].join('\n')}\n`;
    const u2 = await upload(later, { service: 'shop' });
    const fresh = u2.report.templates.top.filter((t: { isNew: boolean }) => t.isNew);
    expect(fresh.map((t: { template: string }) => t.template)).toEqual([
      'cache shard <*> rebalanced in <*> ms',
    ]);
    expect(u2.report.templates.newCount).toBe(1);
    const anomalies = u2.report.anomalies.filter((a: { kind: string }) => a.kind === 'new-template');
    expect(anomalies).toHaveLength(1);
    expect(anomalies[0].samples[0]).toMatch(/^cache shard \d+ rebalanced in \d+ ms$/);
  });

  it('flags an injected error burst at its minutes, with sample lines', async () => {
    // 20 lines/s: minute 6 starts at line 7200; the burst covers lines 7200..7799 (minute 6 until 6:30).
    const text = `${[...generateLines({ ...base, seed: 7, errorBurst: { atLine: 7200, lines: 600, rate: 0.9 } })].join('\n')}\n`;
    const u = await upload(text, {});
    const spikes = u.report.anomalies.filter((a: { kind: string }) => a.kind === 'error-spike');
    expect(spikes).toHaveLength(1);
    expect(new Date(spikes[0].at).toISOString()).toBe('2024-01-15T10:06:00.000Z');
    expect(spikes[0].samples.length).toBeGreaterThan(0);
    expect(spikes[0].value).toBeGreaterThan(0.4); // 540 failures among the minute's 1200 lines
    expect(spikes[0].baseline).toBeLessThan(0.1);
  });

  it('counts watchlist matches on messages and on templates exactly', async () => {
    const lines = [...generateLines({ ...base, lines: 3000, seed: 8 })];
    const entriesText = `${lines.join('\n')}\n`;
    const messages = lines.map((l) => l.replace(/^\S+ \w+ \[\w+\] /, ''));
    const counts = new Map<string, number>();
    for (const m of messages) counts.set(m, (counts.get(m) ?? 0) + 1);
    const [watchedMessage] = [...counts].sort((a, b) => b[1] - a[1])[0] as [string, number];
    const pre = await upload(entriesText, {});
    const template = pre.report.templates.top.find(
      (t: { examples: string[] }) => !t.examples.includes(watchedMessage),
    );
    const saved = await h.app.inject({
      method: 'POST',
      url: '/api/watchlists',
      headers: AUTH,
      payload: { name: 'ops', terms: [watchedMessage, template.template], falsePositiveRate: 0.001 },
    });
    expect(saved.statusCode).toBe(201);
    const u = await upload(entriesText, { watchlist: saved.json().id });
    const entries = await allEntries(u.id);
    const expected =
      entries.filter((e) => e.message === watchedMessage).length +
      entries.filter((e) => e.templateId === template.id).length;
    expect(expected).toBeGreaterThan(10);
    expect(u.report.watchlist.matched).toBe(expected);
    const matches = await h.app.inject({ url: `/api/uploads/${u.id}/matches?limit=5`, headers: AUTH });
    expect(matches.json().total).toBe(expected);
    expect(matches.json().matches).toHaveLength(5);
  });
});
