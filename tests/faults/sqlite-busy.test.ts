import { openStore } from '@logsift/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, upload, waitForUpload } from '../support/client.js';
import { generateLog, lineRanges, storedRanges } from '../support/files.js';
import { pick } from '../support/mode.js';
import { Stack, waitUntil } from '../support/processes.js';
import { failedJobs, jobStarts } from '../support/queues.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('several workers writing big chunks to SQLite at once', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await (
      await Stack.create({
        chunkBytes: 256 * 1024,
        // Writers give up on the lock after 100 ms instead of 15 s, so that contention becomes SQLITE_BUSY.
        env: { DB_BUSY_TIMEOUT_MS: '100' },
      })
    ).start(3);
  });
  afterAll(() => stack.close());

  it('retries a busy database without ever failing a job', async () => {
    const file = generateLog(pick(60_000, 200_000), 13);
    const res = await upload(stack.url, 'big.log', file);
    expect(res.status).toBe(202);
    const id = res.json().uploads[0].id;
    await waitUntil(
      'parsing to start',
      async () => (await get(stack.url, `/api/uploads/${id}`)).json().stages.parse.state !== 'waiting',
      30_000,
      20,
    );
    // Another writer holds the write lock for far longer than the busy timeout, twice.
    const other = openStore(`file:${stack.dataDir}/logsift.db`);
    try {
      for (let i = 0; i < 2; i++) {
        other.sqlite.exec('BEGIN IMMEDIATE');
        await sleep(1_500);
        other.sqlite.exec('COMMIT');
        await sleep(300);
      }
    } finally {
      other.close();
    }
    const view = await waitForUpload(stack.url, id, 180_000);
    expect(view.status, stack.outputs()).toBe('completed');
    expect(storedRanges(stack.dataDir, id)).toEqual(lineRanges(file));
    expect(await failedJobs(stack)).toBe(0);
    const jobs = (await get(stack.url, `/api/uploads/${id}`)).json().stages;
    for (const stage of ['parse', 'clean', 'analyze', 'report']) {
      expect(jobs[stage]).toMatchObject({ state: 'completed', attempts: 1, error: null });
    }
    expect(stack.outputs()).not.toContain('job failed');
    // The busy database did send jobs back to wait: some were started more than once.
    const starts = await jobStarts(stack, 'parse');
    expect(starts).toHaveLength(view.chunks);
    const reruns = starts.reduce((n, s) => n + s - 1, 0);
    expect(reruns).toBeGreaterThan(0);
    console.log(`parse jobs: ${starts.length}, reruns after SQLITE_BUSY: ${reruns}`);
  });
});
