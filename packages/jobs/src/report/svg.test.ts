import { describe, expect, it } from 'vitest';
import { barChart, latencyChart } from './chart-bars.js';
import { successRateChart } from './chart-rates.js';
import { timelineChart } from './chart-timeline.js';
import { fixtureReport, XSS_IMG, XSS_SCRIPT } from './fixtures.js';
import { renderHtml } from './html.js';

/**
 * A small XML well-formedness check: every tag closes in order, attributes are quoted and unique,
 * and every `&` starts a known entity. Returns the problems found (empty when well-formed).
 */
function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  const token =
    /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|<|&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/gi;
  for (const m of xml.matchAll(token)) {
    const [whole, closing, name, attrs = '', selfClosing] = m;
    if (whole === '<') problems.push(`bare < at ${m.index}`);
    else if (whole.startsWith('&')) problems.push(`bare & at ${m.index}`);
    else if (closing) {
      const open = stack.pop();
      if (open !== name) problems.push(`</${name}> closes <${open}> at ${m.index}`);
    } else {
      const names = [...attrs.matchAll(/([\w:-]+)=/g)].map((a) => a[1]);
      if (new Set(names).size !== names.length)
        problems.push(`repeated attribute in <${name}> at ${m.index}`);
      if (!selfClosing) stack.push(name as string);
    }
  }
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(' > ')}`);
  return problems;
}

const T = Date.UTC(2024, 0, 15, 10, 0, 0);
const MINUTE = 60_000;

describe('the well-formedness check itself', () => {
  it('accepts well-formed XML and finds each kind of fault', () => {
    expect(xmlProblems('<svg a="1"><g><text x="1">a &amp; b &#39;</text></g><rect/></svg>')).toEqual([]);
    expect(xmlProblems('<svg><g></svg>')).toHaveLength(2);
    expect(xmlProblems('<svg><text>a < b</text></svg>')).toEqual(['bare < at 13']);
    expect(xmlProblems('<svg><text>a & b</text></svg>')).toEqual(['bare & at 13']);
    expect(xmlProblems('<svg a=1></svg>')).toContain('bare < at 0');
    expect(xmlProblems('<svg a="1" a="2"></svg>')).toEqual(['repeated attribute in <svg> at 0']);
  });
});

describe('charts', () => {
  const points = [0, 1, 2].map((i) => ({ t: T + i * MINUTE, lines: 100 * (i + 1), errors: i }));

  it('timeline: one bar per non-empty bucket, anomalies as numbered bands where they happened', () => {
    const svg = timelineChart(
      points,
      [
        {
          kind: 'errorSpike',
          at: T + MINUTE,
          until: T + 2 * MINUTE,
          value: 2,
          baseline: 0,
          deviation: 3,
          message: XSS_SCRIPT,
          samples: [],
        },
      ],
      'tl',
    );
    expect(xmlProblems(svg)).toEqual([]);
    const paths = [...svg.matchAll(/<path d="([^"]*)" fill="([^"]*)"/g)];
    expect(paths.map((p) => p[1]?.split('M').length)).toEqual([4, 3]); // 3 line bars, 2 error bars (one minute had none)
    // The band covers the second of three minutes: x from 56 + 888 / 3 = 352, 296 wide.
    expect(svg).toContain('<rect x="352" y="42" width="296"');
    expect(svg).toContain('>1</text>');
    expect(svg).toContain(`<title>Anomaly 1: &lt;script&gt;alert(1)&lt;/script&gt;</title>`);
    expect(svg).not.toContain('<script');
    for (const label of ['10:00', '10:01', '10:02', '10:03']) expect(svg).toContain(`>${label}</text>`);
    expect(svg).toContain('aria-labelledby="tl-title tl-desc"');
    expect(svg).toContain('Busiest minute 10:02 UTC with 300 lines. 3 errors in all, at most 2 per minute.');
  });

  it('bar chart: bar lengths are proportional to values, labels escaped', () => {
    const svg = barChart(
      [
        { label: XSS_IMG, value: 300 },
        { label: 'INFO', value: 150 },
      ],
      { id: 'b', title: 'Levels' },
    );
    expect(xmlProblems(svg)).toEqual([]);
    const widths = [...svg.matchAll(/<rect x="188" y="[\d.]+" width="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(widths).toEqual([382, 191]);
    expect(svg).toContain('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;');
    expect(svg).not.toContain('<img');
  });

  it('latency chart: three bars per path on a shared scale', () => {
    const svg = latencyChart(
      [
        { path: '/slow', p50: 1000, p95: 2000, p99: 4000 },
        { path: '/fast', p50: 10, p95: 20, p99: 40 },
      ],
      'lat',
    );
    expect(xmlProblems(svg)).toEqual([]);
    expect(svg.match(/height="10"/g)).toHaveLength(6);
    expect(svg).toContain('>4,000 ms</text>');
    expect(svg).toContain('/slow: p50 1,000 ms, p95 2,000 ms, p99 4,000 ms');
  });

  it('success rate: one line per series, axis floor below the lowest rate, breaks at missing minutes', () => {
    const svg = successRateChart(
      [
        { name: 'api', points: [0, 1, 3].map((i) => ({ t: T + i * MINUTE, rate: i === 1 ? 0.82 : 0.99 })) },
        { name: 'all', points: points.map((p) => ({ t: p.t, rate: 0.97 })), dashed: true },
      ],
      'sr',
    );
    expect(xmlProblems(svg)).toEqual([]);
    // Lowest 82%: the axis starts at 80% and climbs in fifths to 100%.
    for (const label of ['80%', '85%', '90%', '95%', '100%']) expect(svg).toContain(`>${label}</text>`);
    // Minute 2 is missing: the line stops at minute 1 and restarts (as a dot) at minute 3.
    expect(svg).toContain('<path d="M167 52.1h0L389 223.8M833 52.1h0" fill="none" stroke="#0072B2"');
    expect(svg).toContain('stroke-dasharray="5 3"');
    expect(svg).toContain('api: lowest 82.0%, last 99.0%');
  });

  it('every chart in the sample page is well-formed SVG with a title and description', () => {
    const html = renderHtml(fixtureReport());
    const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    expect(svgs).toHaveLength(6); // timeline, levels, statuses, success rate, latency, templates
    for (const svg of svgs) {
      expect(xmlProblems(svg)).toEqual([]);
      const [, titleId, descId] = /aria-labelledby="(\S+) (\S+)"/.exec(svg) ?? [];
      expect(svg).toContain(`<title id="${titleId}">`);
      expect(svg).toContain(`<desc id="${descId}">`);
    }
  });
});
