import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, upload, waitForUpload } from '../support/client.js';
import { countRows, filesIn, generateLog, lineRanges, storedRanges } from '../support/files.js';
import { Stack, waitUntil } from '../support/processes.js';
import { failedJobs } from '../support/queues.js';

describe('Redis down when logsift starts', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await Stack.create();
  });
  afterAll(() => stack.close());

  it('is reported by /ready, refuses uploads with 503 and Retry-After, and recovers when Redis comes', async () => {
    await stack.startApi(); // no Redis yet
    stack.startWorker();
    stack.startWorker();

    const ready = await get(stack.url, '/ready');
    expect(ready.status).toBe(503);
    expect(ready.headers['retry-after']).toBe('5');
    expect(ready.json().checks.redis.ok).toBe(false);
    expect(ready.json().checks.database.ok).toBe(true);

    const file = generateLog(3_000, 5);
    const refused = await upload(stack.url, 'app.log', file);
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.json()).toEqual({
      error: { code: 'unavailable', message: expect.stringContaining('Redis') },
    });
    expect(filesIn(join(stack.dataDir, 'uploads'))).toEqual([]);
    expect(countRows(stack.dataDir, 'uploads')).toBe(0);
    // What needs only SQLite still answers (the rate limiter lets requests through while Redis is down).
    expect((await get(stack.url, '/api/uploads')).json()).toEqual({ uploads: [], nextCursor: null });

    await stack.startRedis();
    await waitUntil('/ready', async () => (await get(stack.url, '/ready')).status === 200, 15_000);
    await stack.waitForWorkers(2);
    const accepted = await upload(stack.url, 'app.log', file);
    expect(accepted.status).toBe(202);
    const id = accepted.json().uploads[0].id;
    expect((await waitForUpload(stack.url, id)).status, stack.outputs()).toBe('completed');
    expect(storedRanges(stack.dataDir, id)).toEqual(lineRanges(file));
    expect(await failedJobs(stack)).toBe(0);
    expect(stack.workers.every((w) => w.running && w.exits.length === 0)).toBe(true);
    console.log(`after Redis came back: ${lineRanges(file).length} records stored, workers never restarted`);
  });
});
