import { afterEach, describe, expect, it, vi } from 'vitest';
import { FIXTURE_UPLOAD, fixtureReport, XSS_IMG, XSS_SCRIPT } from './fixtures.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
import { EMPTY_REPORT_SENTENCE } from './summary.js';
import { emptyReport, type Report } from './types.js';

/** Unescaped pipes in a Markdown table row: the cell separators. */
function cellSeparators(row: string): number {
  return (row.match(/(?<!\\)\|/g) ?? []).length;
}

/** A fixture with hostile text in every field that comes from the logs. */
function hostileReport(): Report {
  const report = fixtureReport();
  return {
    ...report,
    upload: { ...report.upload, filename: XSS_IMG, service: XSS_SCRIPT, format: XSS_SCRIPT },
    services: [{ value: XSS_IMG, count: 1 }],
    levels: [{ value: XSS_SCRIPT, count: 1 }],
    methods: [{ value: XSS_IMG, count: 1 }],
    timings: [{ stage: XSS_SCRIPT, ms: 1 }],
    cleaning: { ...report.cleaning, rules: [{ rule: XSS_IMG, removed: 1 }] },
    slowestPaths: [{ path: XSS_SCRIPT, count: 1, p50: 1, p95: 2, p99: 3, max: 4 }],
    successRate: {
      ...report.successRate,
      services: [{ service: XSS_IMG, total: 1, successes: 1, rate: 1, points: [] }],
    },
    anomalies: report.anomalies.map((a) => ({
      ...a,
      kind: XSS_IMG,
      message: XSS_SCRIPT,
      samples: [XSS_SCRIPT, XSS_IMG],
    })),
    templates: {
      ...report.templates,
      top: report.templates.top.map((t) => ({
        ...t,
        id: XSS_IMG,
        template: XSS_SCRIPT,
        examples: [XSS_IMG],
      })),
    },
  };
}

describe('renderHtml', () => {
  it('never lets log content become markup', () => {
    const html = renderHtml(hostileReport());
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).not.toMatch(/<[^>]*\son\w+=/i); // no event handler attribute in any tag
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;');
  });

  it('loads nothing: no script, no external reference, and it declares the strict policy', () => {
    const html = renderHtml(fixtureReport());
    expect(html).not.toMatch(/<script|<link|<iframe|<object|<embed|@import|url\(/i);
    const tags = html.match(/<[a-zA-Z][^>]*>/g) ?? [];
    expect(tags.length).toBeGreaterThan(500);
    for (const tag of tags) expect(tag).not.toMatch(/\s(src|href|xlink:href|style)=/i);
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    );
  });

  it('states the key numbers of the report', () => {
    const html = renderHtml(fixtureReport());
    for (const figure of [
      '<h1>Log report: access-2024-01-15.log</h1>',
      '<span class="value">32,900</span><span class="label">Lines</span>',
      '<span class="value">99.92%</span><span class="label">Understood</span>',
      '<span class="value">3.9%</span><span class="label">Error rate</span>',
      '<span class="value">2</span><span class="label">Anomalies</span>',
      'Worst 60-second window: 36.4% failures, from 2024-01-15 10:12:05 UTC.',
      '<th scope="row" class="text">/api/reports/export?format=csv</th><td class="num">420</td><td class="num">1,580 ms</td><td class="num">4,211 ms</td>',
      '<h3>errorSpike <small>2024-01-15 10:12:00 UTC – 10:15:00 UTC</small></h3>',
      '27 distinct message templates, 1 never seen in earlier uploads.',
      '<span class="badge">new</span>',
      '<td class="num">27,100</td><td class="num">27,344</td>',
    ]) {
      expect(html).toContain(figure);
    }
  });

  it('marks up tables and headings for assistive technology', () => {
    const html = renderHtml(fixtureReport());
    const tables = html.match(/<table>[\s\S]*?<\/table>/g) ?? [];
    expect(tables.length).toBeGreaterThan(10);
    for (const t of tables) {
      expect(t).toMatch(/^<table><caption>[^<]+<\/caption><thead><tr><th scope="col"/);
      expect(t).toMatch(/<tbody>\n?<tr><th scope="row"/);
    }
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [, labelled] of html.matchAll(/aria-labelledby="([^"]+)"/g)) {
      for (const id of labelled?.split(' ') ?? []) expect(ids).toContain(id);
    }
  });

  it('renders an empty upload without charts and says there is nothing to analyse', () => {
    const html = renderHtml(emptyReport(FIXTURE_UPLOAD));
    expect(html).toContain(`<li>${EMPTY_REPORT_SENTENCE}</li>`);
    expect(html).not.toContain('<svg');
    expect(html).not.toMatch(/NaN|Infinity|undefined|null/);
  });

  it('renders sections that are empty in a non-empty upload with a note instead of a chart', () => {
    const report = {
      ...emptyReport(FIXTURE_UPLOAD),
      counts: { ...emptyReport(FIXTURE_UPLOAD).counts, lines: 5, records: 5, unparsed: 5 },
    };
    const html = renderHtml(report);
    expect(html).toContain('No record had a usable timestamp, so there is no timeline.');
    expect(html).toContain('No request latencies in this log.');
    expect(html).not.toContain('<svg');
    expect(html).not.toMatch(/NaN|Infinity|undefined/);
  });
});

describe('renderMarkdown', () => {
  it('escapes pipes so every table row keeps its columns', () => {
    const md = renderMarkdown(fixtureReport());
    expect(md).toContain('| payments\\|eu | 600 | 590 | 98.3% |');
    expect(md).toContain('| /api/users/\\<id\\>\\|admin | 1,800 |');
    expect(md).toContain('| 1,204 | disk full | disk full on /var \\| retrying |');
    const lines = md.split('\n');
    lines.forEach((line, i) => {
      if (!line.startsWith('|') || lines[i - 1]?.startsWith('|')) return; // a table's header row
      const columns = cellSeparators(line);
      for (let j = i + 1; lines[j]?.startsWith('|'); j++)
        expect(cellSeparators(lines[j] as string), lines[j]).toBe(columns);
    });
  });

  it('never lets log content become HTML', () => {
    const md = renderMarkdown(hostileReport());
    // Outside code blocks, no unescaped tag may appear.
    const prose = md.replace(/^(`{3,})text\n[\s\S]*?\n\1$/gm, '');
    expect(prose).not.toMatch(/(?<!\\)<(script|img)/);
    expect(prose).toContain('\\<script\\>alert(1)\\</script\\>');
    // Inside code blocks the text is verbatim, where Markdown shows it as code.
    expect(md).toContain(`\`\`\`text\n${XSS_SCRIPT}\n${XSS_IMG}\n\`\`\``);
  });

  it('states the key numbers of the report', () => {
    const md = renderMarkdown(fixtureReport());
    for (const figure of [
      '# Log report: access-2024-01-15.log',
      '- 32,900 lines read as 32,900 records; 99.92% understood (32,875 parsed, 25 unparsed), 12 dropped by cleaning.',
      '- Error rate 3.9%.',
      '- Records span 2024-01-15 10:00:04 UTC – 10:29:57 UTC.',
      '- Worst 60-second window: 36.4% failures, from 2024-01-15 10:12:05 UTC.',
      '| Duplicate of an earlier record | 12 |',
      '| 503 | 1,291 | 3.9% |',
      '| /api/reports/export?format=csv | 420 | 1,580 | 4,210.5 | 6,020 | 9,875 |',
      '| 3 | shard \\<\\*\\> moved to cold storage in \\<\\*\\>ms | 50 | new |',
      '### 1. errorSpike at 2024-01-15 10:12:00 UTC – 10:15:00 UTC',
      'Value 413 against a baseline of 2 (187.4 standard deviations).',
      'Value 50 against a baseline of 0.',
      '| 200 | 27,100 | 27,344 |',
    ]) {
      expect(md).toContain(figure);
    }
  });

  it('renders an empty upload and says there is nothing to analyse', () => {
    const md = renderMarkdown(emptyReport(FIXTURE_UPLOAD));
    expect(md).toContain(`## Summary\n\n- ${EMPTY_REPORT_SENTENCE}\n`);
    expect(md).toContain('| Lines | 0 |');
    expect(md).not.toMatch(/NaN|Infinity|undefined/);
  });
});

describe('top lists counted in bounded memory', () => {
  const bounded = (): Report => ({
    ...fixtureReport(),
    topMessages: [
      { value: 'disk full on /dev/sda1', count: 40, atLeast: 31 },
      { value: 'user 7 logged in', count: 20, atLeast: 1 },
    ],
  });

  it('shows the range of each true count, not the estimate as a count', () => {
    const md = renderMarkdown(bounded());
    expect(md).toContain('| Message | At least | At most |');
    expect(md).toContain('| user 7 logged in | 1 | 20 |');
    expect(md).toContain('each true count lies between the two figures');
    const html = renderHtml(bounded());
    expect(html).toContain('At least');
    expect(html).toContain('each true count lies between the two figures');
  });

  it('keeps one Count column when the counts are exact', () => {
    const md = renderMarkdown(fixtureReport());
    expect(md).not.toContain('At least');
  });
});

describe('the worst failure window', () => {
  it('says there were no failures rather than naming a worst window of 0%', () => {
    const report: Report = {
      ...fixtureReport(),
      failureWindow: { windowSeconds: 60, peakRate: 0, peakAt: 0 },
    };
    expect(renderMarkdown(report)).toContain('No failures in any 60-second window.');
    expect(renderMarkdown(report)).not.toContain('Worst 60-second window');
    expect(renderHtml(report)).toContain('No records failed in any 60-second window.');
  });
});

describe('determinism', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('gives identical bytes for the same report, whatever the clock says', () => {
    vi.useFakeTimers({ now: Date.UTC(2030, 5, 1) });
    const html = renderHtml(fixtureReport());
    const md = renderMarkdown(fixtureReport());
    vi.setSystemTime(Date.UTC(1999, 0, 1));
    expect(renderHtml(fixtureReport())).toBe(html);
    expect(renderMarkdown(fixtureReport())).toBe(md);
  });

  it('round-trips through JSON: the stored report renders like the one built in memory', () => {
    const report = fixtureReport();
    const stored: Report = JSON.parse(JSON.stringify(report));
    expect(renderHtml(stored)).toBe(renderHtml(report));
    expect(stored.version).toBe(1);
  });
});
