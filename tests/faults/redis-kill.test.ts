import { afterEach, describe, expect, it } from 'vitest';
import { get, stableReport, upload, waitForUpload } from '../support/client.js';
import { generateLog, lineRanges, storedRanges } from '../support/files.js';
import { FULL } from '../support/mode.js';
import { Stack, waitUntil } from '../support/processes.js';
import { failedJobs } from '../support/queues.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const policies = FULL ? (['always', 'everysec'] as const) : (['always'] as const);

describe.each(policies)('Redis killed mid-flow (appendfsync %s) and started again', (appendfsync) => {
  let stack: Stack | undefined;
  afterEach(() => stack?.close());

  it('the flow completes with no duplicate and no missing row', async () => {
    stack = await (await Stack.create({ appendfsync })).start(2);
    const s = stack;
    const file = generateLog(FULL ? 30_000 : 6_000, 11);
    const expected = lineRanges(file);

    const clean = await upload(s.url, 'app.log', file);
    const cleanId = clean.json().uploads[0].id;
    expect((await waitForUpload(s.url, cleanId)).status).toBe('completed');
    const cleanReport = await stableReport(s.url, cleanId);

    const res = await upload(s.url, 'app.log', file, { query: 'force=true' });
    expect(res.status).toBe(202);
    const id = res.json().uploads[0].id;
    // Mid-flow: some chunks parsed, others not yet.
    await waitUntil(
      'parsing to be under way',
      async () => {
        const stages = (await get(s.url, `/api/uploads/${id}`)).json().stages;
        return stages.parse.progress > 0.1 && stages.parse.progress < 0.9;
      },
      30_000,
      20,
    );
    await s.killRedis();
    // While it is down, reads that need only SQLite still answer.
    expect((await get(s.url, `/api/uploads/${id}`)).status).toBe(200);
    expect((await get(s.url, '/ready')).status).toBe(503);
    await sleep(1_000);
    await s.startRedis();

    const view = await waitForUpload(s.url, id, 120_000);
    expect(view.status, s.outputs()).toBe('completed');
    expect(storedRanges(s.dataDir, id)).toEqual(expected);
    expect(await stableReport(s.url, id)).toBe(cleanReport);
    expect(await failedJobs(s)).toBe(0);
    console.log(
      `appendfsync ${appendfsync}: ${view.chunks} chunks, ${expected.length} records stored exactly once`,
    );
  });
});
