import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, stableReport, upload, waitForUpload } from '../support/client.js';
import { generateLog, lineRanges, storedRanges } from '../support/files.js';
import { pick } from '../support/mode.js';
import { Stack, waitUntil } from '../support/processes.js';
import { failedJobs, stalledEvents } from '../support/queues.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a worker killed again and again while an upload is processed', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await (await Stack.create()).start(2);
  });
  afterAll(() => stack.close());

  it("completes with exactly the file's records and the same report as a run without faults", async () => {
    const file = generateLog(pick(6_000, 40_000), 7);
    const expected = lineRanges(file);

    const clean = await upload(stack.url, 'app.log', file);
    expect(clean.status).toBe(202);
    const cleanId = clean.json().uploads[0].id;
    expect((await waitForUpload(stack.url, cleanId)).status).toBe('completed');
    const cleanReport = await stableReport(stack.url, cleanId);

    const faulty = await upload(stack.url, 'app.log', file, { query: 'force=true' });
    expect(faulty.status).toBe(202);
    const id = faulty.json().uploads[0].id;
    const targetKills = pick(3, 12);
    let kills = 0;
    const done = waitForUpload(stack.url, id, 300_000);
    let finished = false;
    void done.finally(() => {
      finished = true;
    });
    // The first kill lands while both workers are parsing chunks.
    await waitUntil(
      'parsing to be under way',
      async () => (await get(stack.url, `/api/uploads/${id}`)).json().stages.parse.progress > 0,
      30_000,
      20,
    );
    while (!finished && kills < targetKills) {
      const alive = stack.workers.filter((w) => w.running);
      const victim = alive[Math.floor(Math.random() * alive.length)];
      if (!victim || finished) break;
      await victim.kill();
      kills++;
      await sleep(200);
      victim.start(); // the other worker keeps going meanwhile
      await sleep(400);
    }
    const view = await done;
    expect(view.status, stack.outputs()).toBe('completed');
    expect(kills).toBeGreaterThanOrEqual(Math.min(targetKills, 2));
    expect(storedRanges(stack.dataDir, id)).toEqual(expected);
    expect(view.counts).toMatchObject({ lines: expected.length, records: expected.length });
    expect(await stableReport(stack.url, id)).toBe(cleanReport);
    expect(await failedJobs(stack)).toBe(0);
    // The kills did interrupt running jobs, which BullMQ's stalled check gave to a live worker.
    expect(await stalledEvents(stack)).toBeGreaterThan(0);
    console.log(`worker kills: ${kills}, jobs recovered after a kill: ${await stalledEvents(stack)}`);
  });
});
