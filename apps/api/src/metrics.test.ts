import { readFileSync } from 'node:fs';
import { generateLines } from '@logsift/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, type Harness, multipart, startHarness } from './test-support/harness.js';
import { LIVE_ENV, liveEvent, postLogs, waitForSpoolEmpty } from './test-support/live.js';
import { type Family, parsePrometheusText, seriesValue } from './test-support/prometheus-text.js';

describe('the strict Prometheus text reader used below', () => {
  it('reads families and refuses what Prometheus would refuse', () => {
    const ok = parsePrometheusText(
      '# HELP a_total Things.\n# TYPE a_total counter\na_total{x="q\\"uote"} 3\n' +
        '# TYPE h histogram\nh_bucket{le="1"} 1\nh_bucket{le="+Inf"} 2\nh_sum 3.5\nh_count 2\n',
    );
    expect(seriesValue(ok, 'a_total', { x: 'q"uote' })).toBe(3);
    expect(seriesValue(ok, 'h_count')).toBe(2);
    const bad = [
      'a 1\n', // no TYPE
      '# TYPE a counter\na -1\n', // negative counter
      '# TYPE a gauge\na{x="1"} 1\na{x="1"} 2\n', // duplicate series
      '# TYPE a gauge\na{x="\\t"} 1\n', // bad escape
      '# TYPE a gauge\na one\n', // bad value
      '# TYPE a gauge\n# TYPE b gauge\nb 1\na 2\n', // a's samples after b's
      '# TYPE h histogram\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 3\n', // count != +Inf
      '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n', // decreasing
      '# TYPE 1a gauge\n', // bad name
    ];
    for (const text of bad) expect(() => parsePrometheusText(text), text).toThrow();
  });
});

describe('/metrics', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { CHUNK_BYTES: '8192' } });
  });
  afterAll(() => h.close());

  const scrape = async (): Promise<Map<string, Family>> => {
    const res = await h.app.inject({ url: '/metrics', headers: AUTH });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    return parsePrometheusText(res.body);
  };

  it('needs a token', async () => {
    expect((await h.app.inject({ url: '/metrics' })).statusCode).toBe(401);
  });

  it('passes a strict text-format reader and has the process defaults and every logsift family', async () => {
    const m = await scrape();
    for (const name of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
      'nodejs_heap_size_used_bytes',
      'logsift_http_request_duration_seconds',
      'logsift_queue_jobs',
      'logsift_redis_up',
      'logsift_job_duration_seconds',
      'logsift_job_failures_total',
      'logsift_lines_processed_total',
      'logsift_write_lock_seconds_total',
      'logsift_events_processed_total',
      'logsift_events_rejected_total',
      'logsift_events_duplicate_total',
    ])
      expect(m.has(name), name).toBe(true);
    expect(m.get('logsift_queue_jobs')?.type).toBe('gauge');
    expect(m.get('logsift_job_duration_seconds')?.type).toBe('histogram');
    expect(seriesValue(m, 'logsift_redis_up')).toBe(1);
    expect(seriesValue(m, 'logsift_queue_jobs', { queue: 'parse', state: 'waiting' })).toBe(0);
  });

  it('moves when an upload is processed: lines, jobs per stage, queue depths, HTTP durations', async () => {
    const before = await scrape();
    const lines = 600;
    const text = `${[...generateLines({ format: 'access', lines, seed: 5 })].join('\n')}\n`;
    const body = multipart([{ filename: 'm.log', content: text }]);
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/uploads?wait=true',
      headers: { ...AUTH, ...body.headers },
      payload: body.payload,
    });
    expect(res.statusCode).toBe(200);
    const upload = res.json().uploads[0];
    expect(upload.status).toBe('completed');
    const chunks: number = upload.chunks;
    expect(chunks).toBeGreaterThan(3);
    // The report job's completion reaches the waiting request and the worker's own listener independently.
    await expect
      .poll(async () =>
        seriesValue(await scrape(), 'logsift_job_duration_seconds_count', {
          stage: 'report',
          status: 'completed',
        }),
      )
      .toBe(
        (seriesValue(before, 'logsift_job_duration_seconds_count', {
          stage: 'report',
          status: 'completed',
        }) ?? 0) + 1,
      );
    const after = await scrape();
    const delta = (name: string, labels: Record<string, string> = {}) =>
      (seriesValue(after, name, labels) ?? 0) - (seriesValue(before, name, labels) ?? 0);

    expect(delta('logsift_lines_processed_total')).toBe(lines);
    expect(delta('logsift_write_lock_seconds_total', { phase: 'held' })).toBeGreaterThan(0);
    expect(delta('logsift_write_lock_seconds_total', { phase: 'wait' })).toBeGreaterThanOrEqual(0);
    expect(delta('logsift_job_duration_seconds_count', { stage: 'parse', status: 'completed' })).toBe(chunks);
    for (const stage of ['clean', 'analyze', 'report'])
      expect(delta('logsift_job_duration_seconds_count', { stage, status: 'completed' }), stage).toBe(1);
    expect(seriesValue(after, 'logsift_queue_jobs', { queue: 'parse', state: 'completed' })).toBe(chunks);
    expect(seriesValue(after, 'logsift_queue_jobs', { queue: 'report', state: 'completed' })).toBe(1);
    expect(seriesValue(after, 'logsift_queue_jobs', { queue: 'parse', state: 'failed' })).toBe(0);
    expect(
      delta('logsift_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/api/uploads',
        status: '200',
      }),
    ).toBe(1);
    // The scrape before this one was itself counted, under its route pattern.
    expect(
      seriesValue(after, 'logsift_http_request_duration_seconds_count', {
        method: 'GET',
        route: '/metrics',
        status: '200',
      }),
    ).toBeGreaterThanOrEqual(2);
  });

  it('has every metric the Grafana dashboard queries', async () => {
    const dashboard = readFileSync(new URL('../../../deploy/grafana/logsift.json', import.meta.url), 'utf8');
    const exprs = [...dashboard.matchAll(/"(?:expr|definition)": "((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!);
    expect(exprs.length).toBeGreaterThan(15);
    const used = new Set(exprs.flatMap((e) => e.match(/\b(?:logsift|process|nodejs)_[a-z0-9_]+/g) ?? []));
    const m = await scrape();
    for (const name of used) {
      const family = name.replace(/_(bucket|count|sum)$/, '');
      expect(m.has(family) || m.has(name), name).toBe(true);
    }
  });

  it('counts unmatched requests under one label, not their URLs', async () => {
    await h.app.inject({ url: '/api/no-such-thing-1', headers: AUTH });
    await h.app.inject({ url: '/api/no-such-thing-2', headers: AUTH });
    const m = await scrape();
    const routes = new Set(
      m.get('logsift_http_request_duration_seconds')?.samples.map((s) => s.labels.route),
    );
    expect([...routes].some((r) => r?.includes('no-such-thing'))).toBe(false);
    expect(
      seriesValue(m, 'logsift_http_request_duration_seconds_count', {
        method: 'GET',
        route: 'unmatched',
        status: '404',
      }),
    ).toBe(2);
  });
});

describe('/metrics for live events', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: LIVE_ENV });
  });
  afterAll(() => h.close());

  const scrape = async () =>
    parsePrometheusText((await h.app.inject({ url: '/metrics', headers: AUTH })).body);

  it('counts stored, rejected and duplicate events per sending service', async () => {
    const before = await scrape();
    const res = await postLogs(h, 'payments', [
      liveEvent({ event_id: 'm-1' }),
      liveEvent({ event_id: 'm-1' }), // the same event again: dropped as a duplicate
      liveEvent({ event_id: 'm-2', level: 'error' }),
      liveEvent({ timestamp: 'not a time' }), // rejected
      liveEvent({ service: 'orders' }), // claims another service: rejected
    ]);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ accepted: 2, duplicates: 1 });
    const codes: string[] = res.json().rejected.map((r: { code: string }) => r.code);
    expect(codes).toHaveLength(2);
    await waitForSpoolEmpty(h);
    const after = await scrape();
    const delta = (name: string, labels: Record<string, string>) =>
      (seriesValue(after, name, labels) ?? 0) - (seriesValue(before, name, labels) ?? 0);
    expect(delta('logsift_events_processed_total', { service: 'payments' })).toBe(2);
    expect(delta('logsift_events_duplicate_total', { service: 'payments' })).toBe(1);
    const rejected = new Map<string, number>();
    for (const c of codes) rejected.set(c, (rejected.get(c) ?? 0) + 1);
    for (const [code, n] of rejected)
      expect(delta('logsift_events_rejected_total', { service: 'payments', code }), code).toBe(n);
  });
});
