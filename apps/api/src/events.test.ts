import { generateLines } from '@logsift/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, type Harness, multipart, startHarness } from './test-support/harness.js';

interface StreamEvent {
  event: string;
  data: {
    type: string;
    id?: string;
    upload?: { id: string; status: string };
    progress?: Record<string, number>;
  };
}

/** Reads an SSE response until `until` says stop (or `ms` pass), returning the events seen. */
async function readEvents(
  res: Response,
  until: (e: StreamEvent) => boolean,
  ms = 20_000,
): Promise<StreamEvent[]> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: StreamEvent[] = [];
  let buffer = '';
  const deadline = Date.now() + ms;
  try {
    while (Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf('\n\n');
        const event = /^event: (.+)$/m.exec(block)?.[1];
        const data = /^data: (.+)$/m.exec(block)?.[1];
        if (!event || !data) continue;
        const e = { event, data: JSON.parse(data) } as StreamEvent;
        events.push(e);
        if (until(e)) return events;
      }
    }
    throw new Error(`stream ended or timed out after ${events.length} events`);
  } finally {
    await reader.cancel();
  }
}

const accessLog = (lines: number, seed: number) =>
  `${[...generateLines({ format: 'access', lines, seed })].join('\n')}\n`;

describe('queues and upload events', () => {
  let h: Harness;
  let base: string;
  beforeAll(async () => {
    h = await startHarness({ env: { CHUNK_BYTES: '8192' } });
    base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => h.close());

  const upload = async (content: string) => {
    const body = multipart([{ filename: 'e.log', content }]);
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/uploads',
      headers: { ...AUTH, ...body.headers },
      payload: body.payload,
    });
    expect(res.statusCode).toBe(202);
    return res.json().uploads[0] as { id: string; chunks: number };
  };

  it('lists each stage queue with its counts and the workers connected', async () => {
    // A worker names its blocking connection once connected, which takes a moment after start.
    const workersSeen = async () =>
      (await h.app.inject({ url: '/api/queues', headers: AUTH }))
        .json()
        .queues.map((q: { workers: unknown[] }) => q.workers.length);
    await expect.poll(workersSeen).toEqual([1, 1, 1, 1, 1, 1]);
    const res = await h.app.inject({ url: '/api/queues', headers: AUTH });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.board).toBe('/admin/queues');
    expect(body.queues.map((q: { name: string }) => q.name)).toEqual([
      'parse',
      'clean',
      'analyze',
      'report',
      'ingest',
      'retention',
    ]);
    for (const q of body.queues) {
      expect(q.paused).toBe(false);
      expect(Object.keys(q.counts)).toEqual(
        expect.arrayContaining(['waiting', 'active', 'delayed', 'failed', 'completed', 'waiting-children']),
      );
      // The harness runs one worker per queue.
      expect(q.workers, q.name).toHaveLength(1);
    }
  });

  it('streams every stage of an upload until it completes, over one connection for all uploads', async () => {
    const res = await fetch(`${base}/api/events`, { headers: AUTH });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const u = await upload(accessLog(800, 3));
    const events = await readEvents(
      res,
      (e) => e.data.upload?.id === u.id && e.data.upload.status === 'completed',
    );
    const mine = events.filter((e) => e.data.upload?.id === u.id);
    expect(mine.at(-1)?.event).toBe('upload');
    expect(mine.at(-1)?.data.progress).toEqual({ parse: 1, clean: 1, analyze: 1, report: 1 });
    // Changes are coalesced: far fewer messages than the jobs' events (each chunk alone has several).
    expect(mine.length).toBeLessThan(u.chunks * 3);
  });

  it("streams one upload's changes, starting with its current state; 404 for an unknown one", async () => {
    const u = await upload(accessLog(300, 4));
    const res = await fetch(`${base}/api/uploads/${u.id}/events`, { headers: AUTH });
    expect(res.status).toBe(200);
    const events = await readEvents(res, (e) => e.data.upload?.status === 'completed');
    expect(events[0]?.data.upload?.id).toBe(u.id);
    expect(events.every((e) => e.data.upload?.id === u.id)).toBe(true);
    const missing = await fetch(`${base}/api/uploads/u-missing/events`, { headers: AUTH });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('upload_not_found');
  });

  it('tells the stream when an upload is deleted', async () => {
    const u = await upload(accessLog(100, 5));
    const follow = await fetch(`${base}/api/uploads/${u.id}/events`, { headers: AUTH });
    await readEvents(follow, (e) => e.data.upload?.status === 'completed');
    const res = await fetch(`${base}/api/events`, { headers: AUTH });
    const deleted = readEvents(res, (e) => e.event === 'deleted' && e.data.id === u.id);
    await new Promise((r) => setTimeout(r, 100)); // let the stream subscribe
    expect(
      (await h.app.inject({ method: 'DELETE', url: `/api/uploads/${u.id}`, headers: AUTH })).statusCode,
    ).toBe(204);
    expect((await deleted).at(-1)?.data).toEqual({ type: 'deleted', id: u.id });
  });

  it('needs a token like every /api route', async () => {
    expect((await fetch(`${base}/api/events`)).status).toBe(401);
  });
});
