/** An HTTP client for the fault and load tests: multipart uploads over node:http, streamed when asked. */
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { TOKEN, waitUntil } from './processes.js';

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  // biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field by the tests
  json<T = any>(): T;
}

const answer = (status: number, headers: Answer['headers'], body: string): Answer => ({
  status,
  headers,
  body,
  json: () => JSON.parse(body),
});

export async function get(base: string, path: string, token = TOKEN): Promise<Answer> {
  const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return answer(res.status, Object.fromEntries(res.headers), await res.text());
}

/** The parts of a multipart/form-data body with one file in the field `file`. */
export function multipartParts(
  filename: string,
  content: Buffer,
): { boundary: string; head: Buffer; tail: Buffer; content: Buffer } {
  const boundary = `----logsift${randomBytes(8).toString('hex')}`;
  return {
    boundary,
    head: Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    ),
    content,
    tail: Buffer.from(`\r\n--${boundary}--\r\n`),
  };
}

export interface UploadOptions {
  query?: string;
  /** Send the file in pieces of this many bytes, pausing `pauseMs` between them (a slow client). */
  pieceBytes?: number;
  pauseMs?: number;
  /** Called once this many bytes of the file have been sent (to inject a fault mid-body). */
  onSent?: { bytes: number; run: () => void | Promise<void> };
  token?: string;
}

/**
 * POSTs a file to /api/uploads. Resolves with the answer; rejects when the connection fails (the server
 * died or cut it), with the error's code (ECONNRESET, EPIPE, ...).
 */
export function upload(
  base: string,
  filename: string,
  content: Buffer,
  options: UploadOptions = {},
): Promise<Answer> {
  const parts = multipartParts(filename, content);
  const length = parts.head.length + content.length + parts.tail.length;
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}/api/uploads${options.query ? `?${options.query}` : ''}`,
      {
        method: 'POST',
        // A connection per upload: one the server cut after an early answer is never reused.
        agent: false,
        headers: {
          authorization: `Bearer ${options.token ?? TOKEN}`,
          'content-type': `multipart/form-data; boundary=${parts.boundary}`,
          'content-length': String(length),
        },
      },
      (res) => {
        responded = true; // an early answer (413, 507): stop sending, read it
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () =>
          resolve(answer(res.statusCode ?? 0, res.headers, Buffer.concat(chunks).toString())),
        );
        res.on('error', reject);
      },
    );
    let responded = false;
    // A server that answers early may reset the connection while the rest of the body is on its way.
    req.on('error', (err) => {
      if (!responded) reject(err);
    });
    const send = async () => {
      req.write(parts.head);
      const piece = options.pieceBytes ?? content.length;
      let fired = false;
      for (let sent = 0; sent < content.length && !req.destroyed && !responded; sent += piece) {
        const ok = req.write(content.subarray(sent, sent + piece));
        if (!ok) await new Promise((r) => (responded ? r(null) : req.once('drain', r)));
        if (options.onSent && !fired && sent + piece >= options.onSent.bytes) {
          fired = true;
          await options.onSent.run();
        }
        if (options.pauseMs) await new Promise((r) => setTimeout(r, options.pauseMs));
      }
      if (!req.destroyed && !responded) req.end(parts.tail);
    };
    send().catch(reject);
  });
}

export interface UploadView {
  id: string;
  status: 'queued' | 'processing' | 'completed' | 'failed';
  error: string | null;
  chunks: number;
  counts: { lines: number; records: number; parsed: number; unparsed: number; dropped: number } | null;
}

/** Polls the upload every `everyMs` until it completes or fails (or `ms` pass). */
export function waitForUpload(base: string, id: string, ms = 120_000, everyMs = 200): Promise<UploadView> {
  return waitUntil(
    `upload ${id} to finish`,
    async () => {
      const res = await get(base, `/api/uploads/${id}`);
      if (res.status !== 200) return undefined;
      const view = res.json<UploadView>();
      return view.status === 'completed' || view.status === 'failed' ? view : undefined;
    },
    ms,
    everyMs,
  );
}

/**
 * The report as JSON text with what depends on time, identity and history removed (the upload's id,
 * createdAt and completedAt; the stage timings; whether a template is new, which depends on the service's
 * earlier uploads: the second run of a file finds the first run's templates): two runs over the same file
 * must then give the same bytes.
 */
export async function stableReport(base: string, id: string): Promise<string> {
  const res = await get(base, `/api/uploads/${id}/report`);
  if (res.status !== 200) throw new Error(`report: ${res.status} ${res.body}`);
  const report = res.json<{
    upload: Record<string, unknown>;
    timings?: unknown;
    templates: { newCount?: number; top: { isNew?: boolean }[] };
    anomalies: { kind: string }[];
  }>();
  delete report.upload.id;
  delete report.upload.createdAt;
  delete report.upload.completedAt;
  delete report.timings;
  delete report.templates.newCount;
  // The 20 most frequent; the report lists new templates after them, and which are new depends on history.
  report.templates.top = report.templates.top.slice(0, 20);
  for (const t of report.templates.top) delete t.isNew;
  report.anomalies = report.anomalies.filter((a) => a.kind !== 'new-template');
  return JSON.stringify(report, null, 2);
}
