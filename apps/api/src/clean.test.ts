import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, type Harness, multipart, startHarness } from './test-support/harness.js';

const LEVELS = ['DEBUG', 'INFO', 'INFO', 'WARN', 'ERROR'];
const SERVICES = ['api', 'auth', 'health'];

/** A plain log with many repeats: messages from a small set, 0.5-2 s apart, some exact duplicate lines. */
function repetitiveLog(lines: number): string[] {
  let seed = 12345;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const out: string[] = [];
  let t = Date.UTC(2024, 0, 15, 10, 0, 0);
  for (let i = 0; i < lines; i++) {
    if (i > 0 && next(20) === 0) {
      out.push(out[i - 1] as string); // an exact duplicate
      continue;
    }
    t += 500 + next(1500);
    const level = LEVELS[next(LEVELS.length)];
    const service = SERVICES[next(SERVICES.length)];
    const message = next(10) === 0 ? `GET /ping from probe ${next(3)}` : `job ${next(12)} finished`;
    out.push(`${new Date(t).toISOString()} ${level} [${service}] ${message}`);
  }
  return out;
}

/** The clean rules applied to the whole file at once, in the documented order. */
function expectedCounts(lines: string[], windowMs: number) {
  const rank = (l: string) => ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].indexOf(l);
  const seenRaw = new Set<string>();
  const lastSeen = new Map<string, number>();
  const removed = { minLevel: 0, service: 0, pattern: 0, duplicate: 0, window: 0 };
  for (const line of lines) {
    const m = /^(\S+) (\w+) \[(\w+)\] (.*)$/.exec(line);
    if (!m) throw new Error(line);
    const [, time, level, service, message] = m as unknown as [string, string, string, string, string];
    if (rank(level) < rank('INFO')) removed.minLevel++;
    else if (service === 'health') removed.service++;
    else if (/^GET \/ping/.test(message)) removed.pattern++;
    else if (seenRaw.has(line)) removed.duplicate++;
    else {
      seenRaw.add(line);
      const key = `${service}\u0000${message}`;
      const ts = Date.parse(time);
      const prev = lastSeen.get(key);
      lastSeen.set(key, ts);
      if (prev !== undefined && Math.abs(ts - prev) <= windowMs) removed.window++;
    }
  }
  return removed;
}

describe('clean rules', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { CHUNK_BYTES: '4096' } });
  });
  afterAll(() => h.close());

  it('remove the same entries across many chunks as over the whole file, and the report credits each rule', async () => {
    const lines = repetitiveLog(3000);
    const clean = {
      minLevel: 'INFO',
      dropServices: ['health'],
      dropPatterns: ['^GET /ping'],
      dedupWindowSeconds: 30,
    };
    const body = multipart([{ filename: 'app.log', content: `${lines.join('\n')}\n` }], {
      clean: JSON.stringify(clean),
    });
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/uploads?wait=true',
      headers: { ...AUTH, ...body.headers },
      payload: body.payload,
    });
    const u = res.json().uploads[0];
    expect(u.status).toBe('completed');
    expect(u.chunks).toBeGreaterThan(20);
    const want = expectedCounts(lines, 30_000);
    expect(want.window).toBeGreaterThan(100); // the case is exercised
    expect(want.duplicate).toBeGreaterThan(50);
    expect(u.report.cleaning.rules).toEqual([
      { rule: 'minLevel=INFO', removed: want.minLevel },
      { rule: 'dropServices=health', removed: want.service },
      { rule: 'dropPattern=^GET /ping', removed: want.pattern },
      { rule: 'dedupWindowSeconds=30', removed: want.window },
    ]);
    expect(u.report.cleaning.reasons.duplicate).toBe(want.duplicate);
    const dropped = want.minLevel + want.service + want.pattern + want.duplicate + want.window;
    expect(u.counts).toEqual({ lines: 3000, records: 3000, parsed: 3000, unparsed: 0, dropped });
    // The analysis counts only what cleaning kept.
    const analysed = u.report.levels.reduce((n: number, r: { count: number }) => n + r.count, 0);
    expect(analysed).toBe(3000 - dropped);
    // The duplicate keys served the clean stage only: the complete upload keeps none.
    const kept = h.store.sqlite
      .prepare('SELECT count(*) AS chunks, count(dedup) AS withKeys FROM chunk_results WHERE upload_id = ?')
      .get(u.id);
    expect(kept).toEqual({ chunks: u.chunks, withKeys: 0 });
  });
});
