import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateLines } from '@logsift/jobs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARD_DIR } from './plugins/dashboard.js';
import { type Harness, startHarness, TOKEN } from './test-support/harness.js';
import { LIVE_ENV, liveEvent, postLogs, waitForSpoolEmpty } from './test-support/live.js';
import { HOSTILE_SCRIPT, insertFixtureReport } from './test-support/report-fixture.js';

/** Debian's Chromium (installed by .ci/run); no browser is ever downloaded. */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const hasChromium = existsSync(CHROMIUM);

/** The page's globals inside `page.evaluate` (this file is compiled without the DOM's types). */
type DropData = { items: { add(file: unknown): void } };
type PageGlobals = {
  document: { cookie: string; documentElement: { scrollWidth: number } };
  innerWidth: number;
};
if (!hasChromium)
  console.warn(`dashboard browser test skipped: ${CHROMIUM} is absent (apt-get install chromium)`);

describe.runIf(hasChromium)('the dashboard in a real browser', () => {
  let h: Harness;
  let base: string;
  let browser: Browser;
  let page: Page;
  const shots = process.env.SCREENSHOT_DIR ?? mkdtempSync(join(tmpdir(), 'logsift-screens-'));
  const offsite: string[] = [];
  const problems: string[] = [];
  const dialogs: string[] = [];
  let uploadId = '';
  let fixtureId = '';

  beforeAll(async () => {
    expect(existsSync(join(DASHBOARD_DIR, 'index.html')), 'build the dashboard first: npm run build').toBe(
      true,
    );
    h = await startHarness({ env: { CHUNK_BYTES: '16384', ...LIVE_ENV } });
    base = await h.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('request', (r) => {
      if (!r.url().startsWith(base) && !r.url().startsWith('data:')) offsite.push(r.url());
    });
    // Script errors and CSP violations ("Refused to ..."); answers such as the 401 before signing in or the
    // 404 of the live-events probe are expected and tested where they happen.
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    // The page's own confirmations are accepted; any other dialog (alert(1) from a log line) is a failure.
    page.on('dialog', (d) => {
      if (d.type() === 'confirm' && d.message().startsWith('Delete ')) return void d.accept();
      dialogs.push(d.message());
      void d.dismiss();
    });
    console.log(`dashboard screenshots: ${shots}`);
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  const shot = (name: string) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });

  it('signs in with a token', async () => {
    await page.goto(`${base}/`);
    await page.getByLabel('Access token').fill('not-a-real-token-at-all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('That token is not known here.');
    await page.getByLabel('Access token').fill(TOKEN);
    await shot('1-sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Upload logs' }).waitFor();
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === 'logsift_session')).toMatchObject({
      httpOnly: true,
      sameSite: 'Strict',
    });
  });

  it('uploads a generated file through the page and watches every stage complete', async () => {
    // 25 minutes of traffic with request times, and a burst of 5xx in minute 15 for the anomaly charts.
    const lines = generateLines({
      format: 'access',
      lines: 3000,
      seed: 42,
      linesPerSecond: 2,
      withRequestTime: true,
      errorBurst: { atMinute: 15, lines: 120, rate: 0.8 },
    });
    const text = `${[...lines].join('\n')}\n`;
    // The format field suggests the server's formats.
    await expect.poll(() => page.locator('#format-names option').count()).toBeGreaterThan(5);
    expect(await page.locator('#format-names option[value="combined"]').count()).toBe(1);
    await page
      .locator('#files')
      .setInputFiles({ name: 'web-access.log', mimeType: 'text/plain', buffer: Buffer.from(text) });
    const card = page.locator('article.upload', { hasText: 'web-access.log' });
    await card.waitFor();
    await expect.poll(() => card.getAttribute('data-status'), { timeout: 30_000 }).toBe('completed');
    for (const stage of ['parse', 'clean', 'analyze', 'report'])
      expect(await card.locator(`[data-stage="${stage}"]`).getAttribute('data-state'), stage).toBe(
        'completed',
      );
    expect(await card.locator('[data-count="lines"]').textContent()).toBe('3,000');
    expect(await card.locator('progress').count()).toBe(4);
    uploadId = (await card.getAttribute('data-upload')) ?? '';
    await shot('2-uploads');
  });

  it('takes a file dropped on the drop zone', async () => {
    const text = `${[...generateLines({ format: 'json', lines: 400, seed: 8 })].join('\n')}\n`;
    const drop = await page.evaluateHandle((content) => {
      const g = globalThis as unknown as {
        DataTransfer: new () => DropData;
        File: new (parts: string[], name: string) => unknown;
      };
      const data = new g.DataTransfer();
      data.items.add(new g.File([content], 'dropped.jsonl'));
      return data;
    }, text);
    await page.dispatchEvent('#drop', 'drop', { dataTransfer: drop });
    const card = page.locator('article.upload', { hasText: 'dropped.jsonl' });
    await expect.poll(() => card.getAttribute('data-status'), { timeout: 30_000 }).toBe('completed');
    expect(await card.locator('[data-count="lines"]').textContent()).toBe('400');
    expect(await card.locator('.meta').textContent()).toContain('json');
  });

  it('opens the report with its charts drawn', async () => {
    await page
      .locator('article.upload', { hasText: 'web-access.log' })
      .getByRole('link', { name: 'Report' })
      .click();
    await page.getByRole('heading', { name: 'web-access.log' }).waitFor();
    const lines = page.locator('.timeline path[data-series="lines"]');
    await lines.waitFor();
    expect((await lines.getAttribute('d'))?.length).toBeGreaterThan(50);
    // One bar per row of the report's own data, for every chart.
    const id = new URL(page.url()).hash.split('/')[2]!;
    const report = await (await page.request.get(`${base}/api/uploads/${id}/report`)).json();
    const bars = (chart: string) => page.locator(`figure[data-chart="${chart}"] rect.bar`).count();
    expect(report.statuses.length).toBeGreaterThan(3);
    expect(await bars('Levels')).toBe(report.levels.length);
    expect(await bars('Status codes')).toBe(report.statuses.length);
    expect(await bars('Latency: slowest paths by p95')).toBe(Math.min(10, report.slowestPaths.length));
    expect(report.slowestPaths.length).toBeGreaterThan(0);
    expect(await bars('Messages per template')).toBe(Math.min(15, report.templates.top.length));
    expect(await page.locator('[data-anomaly]').count()).toBe(report.anomalies.length);
    expect(await page.locator('.timeline rect.mark').count()).toBe(report.anomalies.length);
    // The generated burst of 5xx in minute 15 is found, and the access lines group into templates.
    expect(report.anomalies.length).toBeGreaterThan(0);
    expect(report.templates.top.length).toBeGreaterThan(0);
    const widest = await page
      .locator('figure[data-chart="Status codes"] rect.bar')
      .evaluateAll((rects) => Math.max(...rects.map((r) => Number(r.getAttribute('width')))));
    expect(widest).toBe(100);
    expect(await page.getByRole('link', { name: 'Markdown report' }).getAttribute('href')).toMatch(
      /report\?format=md$/,
    );
    const html = await page.request.get(
      `${base}${await page.getByRole('link', { name: 'HTML report' }).getAttribute('href')}`,
    );
    expect(html.status()).toBe(200);
    expect(await html.text()).toContain('<svg');
    await shot('3-report');
  });

  it('draws every section of a full report and shows hostile log text as text', async () => {
    const { id } = insertFixtureReport(h);
    fixtureId = id;
    await page.goto(`${base}/#/uploads/${id}`);
    await page.locator('figure[data-chart="Messages per template"]').waitFor();
    expect(await page.locator('figure[data-chart="Messages per template"] rect.bar').count()).toBe(2);
    expect(await page.locator('[data-anomaly="errorSpike"]').count()).toBe(1);
    expect(await page.locator('.timeline rect.mark').count()).toBe(1);
    expect(await page.locator('.timeline path[data-series="errors"]').getAttribute('d')).toMatch(/^M/);
    expect(await page.locator('figure[data-chart="Latency: slowest paths by p95"] rect.bar').count()).toBe(2);
    // The hostile strings are on the page as text, and nothing of them became an element.
    expect(await page.getByText(HOSTILE_SCRIPT, { exact: false }).count()).toBeGreaterThan(0);
    expect(await page.locator('main img, main script').count()).toBe(0);
    expect(dialogs).toEqual([]);
    await shot('3b-report-full');
  });

  it('tails live events with filters, per-service counts and the server statistics', {
    timeout: 90_000,
  }, async () => {
    const at = Date.now() - 5_000;
    // Sent before the page opens: the first page of GET /api/logs and the statistics show them.
    expect(
      (
        await postLogs(h, 'payments', [
          liveEvent({ level: 'error', message: 'card declined' }, at),
          liveEvent({ level: 'info', message: 'paid' }, at),
        ])
      ).statusCode,
    ).toBe(202);
    expect(
      (await postLogs(h, 'orders', [liveEvent({ service: 'orders', message: 'order 7 placed' }, at)]))
        .statusCode,
    ).toBe(202);
    await waitForSpoolEmpty(h);

    await page.getByRole('link', { name: 'Uploads', exact: true }).click();
    await page.getByRole('link', { name: 'Live events' }).click();
    await page.getByText('Connected: new events appear at the top.').waitFor();
    expect(await page.locator('.tail li').count()).toBe(3);
    const server = page.locator('table', { hasText: 'last hour' });
    await server.locator('tr[data-service="payments"]').waitFor();
    expect(await server.locator('tr[data-service="payments"] td').allTextContents()).toEqual([
      '2',
      '1',
      '50.0%',
    ]);
    expect(await server.locator('tr[data-service="orders"] td').allTextContents()).toEqual([
      '1',
      '0',
      '0.0%',
    ]);

    // Sent while the page watches: they arrive over the stream, hostile text and all, shown as text.
    await postLogs(h, 'payments', [
      liveEvent({ level: 'error', message: `refund failed ${HOSTILE_SCRIPT}` }, Date.now()),
    ]);
    await postLogs(h, 'orders', [liveEvent({ service: 'orders', message: 'order 8 placed' }, Date.now())]);
    await expect.poll(() => page.locator('.tail li').count(), { timeout: 30_000 }).toBe(5);
    expect(await page.locator('.tail li').first().locator('.message').textContent()).toMatch(
      /order 8 placed|refund failed/,
    );
    expect(await page.getByText(`refund failed ${HOSTILE_SCRIPT}`).count()).toBe(1);
    const tailCounts = page.locator('table', { hasText: 'last 60 s' });
    expect(await tailCounts.locator('tr[data-service="payments"] td').allTextContents()).toEqual([
      '1',
      '1',
      '100.0%',
    ]);
    expect(await tailCounts.locator('tr[data-service="orders"] td').allTextContents()).toEqual([
      '1',
      '0',
      '0.0%',
    ]);
    await shot('4b-live');

    // A filter reconnects the stream with it: only errors of payments come through from then on.
    await page.getByLabel('Level').selectOption('ERROR');
    await page.getByLabel('Service').fill('payments');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('Connected: new events appear at the top.').waitFor();
    await postLogs(h, 'payments', [
      liveEvent({ level: 'info', message: 'paid again' }, Date.now()),
      liveEvent({ level: 'error', message: 'card declined again' }, Date.now()),
    ]);
    await postLogs(h, 'orders', [
      liveEvent({ service: 'orders', level: 'error', message: 'order 9 lost' }, Date.now()),
    ]);
    await expect
      .poll(() => page.locator('.tail li .message').allTextContents(), { timeout: 30_000 })
      .toEqual(['card declined again']);
  });

  it('explains live events are unavailable when the server has no such routes', async () => {
    // A server without the live-event API answers 404 (stood in for here by the browser's network layer).
    await page.route(/\/api\/logs/, (route) =>
      route.fulfill({
        status: 404,
        json: { error: { code: 'not_found', message: 'no route GET /api/logs' } },
      }),
    );
    await page.getByRole('link', { name: 'Uploads', exact: true }).click();
    await page.getByRole('link', { name: 'Live events' }).click();
    await page.locator('[data-empty="live"]').waitFor();
    await shot('4-live-empty');
    await page.unrouteAll({ behavior: 'ignoreErrors' });
  });

  it('shows the queues with their workers, and links to Bull Board', async () => {
    await page.getByRole('link', { name: 'Queues', exact: true }).click();
    const parse = page.locator('tr[data-queue="parse"]');
    await parse.waitFor();
    expect(Number(await parse.locator('td[data-state="completed"]').textContent())).toBeGreaterThan(1);
    expect(await parse.locator('td[data-workers]').getAttribute('data-workers')).toBe('1');
    await shot('5-queues');
  });

  it('opens Bull Board, whose actions pass the CSRF check only with the cookie-borne token', async () => {
    await page.getByRole('link', { name: 'Open Bull Board' }).click();
    await page.waitForURL(`${base}/admin/queues`);
    await page.getByText('report', { exact: true }).first().waitFor({ timeout: 15_000 });
    await shot('6-bull-board');
    const status = (withToken: boolean) =>
      page.evaluate(async (withToken) => {
        const token =
          /XSRF-TOKEN=([^;]+)/.exec((globalThis as unknown as PageGlobals).document.cookie)?.[1] ?? '';
        const res = await fetch('/admin/queues/api/queues/clean/pause', {
          method: 'PUT',
          headers: withToken ? { 'x-xsrf-token': token } : {},
        });
        return res.status;
      }, withToken);
    expect(await status(false)).toBe(403);
    expect(await status(true)).toBe(200);
    expect(await h.queues.queues.clean.isPaused()).toBe(true);
    await h.queues.queues.clean.resume();

    // The upload's flow, as the board reads it for a job's page: report <- analyze <- clean <- parse x N.
    const reportJob = `${uploadId}-a1-report-0`;
    const flow = await page.request.get(`${base}/admin/queues/api/queues/report/${reportJob}/flow`);
    expect(flow.status()).toBe(200);
    const tree = JSON.stringify(await flow.json());
    for (const child of ['analyze-0', 'clean-0', 'parse-0'])
      expect(tree).toContain(`${uploadId}-a1-${child}`);
    await page.goto(`${base}/admin/queues/queue/report/${reportJob}`);
    await page.getByText(reportJob).first().waitFor({ timeout: 15_000 });
    await shot('6b-bull-board-job');
  });

  it('retries a failed upload and deletes one, from their cards', async () => {
    // Marked failed by hand (a stage failing for good does the same), so the card offers Retry.
    h.store.sqlite
      .prepare("UPDATE uploads SET status = 'failed', error = 'parse chunk 0: disk on fire' WHERE id = ?")
      .run(uploadId);
    await page.goto(`${base}/#/uploads`);
    const card = page.locator(`article[data-upload="${uploadId}"]`);
    await expect.poll(() => card.getAttribute('data-status')).toBe('failed');
    expect(await card.locator('.error').textContent()).toBe('parse chunk 0: disk on fire');
    await card.getByRole('button', { name: 'Retry web-access.log' }).click();
    await expect.poll(() => card.getAttribute('data-status'), { timeout: 30_000 }).toBe('completed');
    await card.getByRole('button', { name: 'Delete web-access.log' }).click();
    await card.waitFor({ state: 'detached' });
    const gone = await page.request.get(`${base}/api/uploads/${uploadId}`);
    expect(gone.status()).toBe(404);
  });

  it('fits a phone screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/#/uploads/${fixtureId}`);
    await page.locator('.timeline').waitFor();
    await shot('7b-phone-report');
    await page.goto(`${base}/#/uploads`);
    await page.locator('article.upload').first().waitFor();
    const overflow = await page.evaluate(() => {
      const { document, innerWidth } = globalThis as unknown as PageGlobals;
      return document.documentElement.scrollWidth - innerWidth;
    });
    expect(overflow).toBeLessThanOrEqual(0);
    await shot('7-phone');
  });

  it('made no request off this server and logged no script error or CSP violation', () => {
    expect(offsite).toEqual([]);
    expect(problems).toEqual([]);
  });
});
