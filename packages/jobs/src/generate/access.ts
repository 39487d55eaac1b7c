/**
 * Apache/nginx "combined" access log lines:
 * `127.0.0.1 - - [10/Oct/2000:13:55:36 +0000] "GET /a HTTP/1.1" 200 2326 "-" "UA"`,
 * optionally followed by nginx's `$request_time` in seconds.
 */

import type { ApplicationModel } from './application.js';
import type { LineMaker } from './line-maker.js';
import { createClfFormatter } from './timestamps.js';
import type { Request, TrafficModel } from './traffic.js';

export function createAccessLines(
  traffic: TrafficModel,
  app: ApplicationModel,
  withRequestTime: boolean,
): LineMaker {
  const clf = createClfFormatter();
  const line = (epochMs: number, q: Request): string => {
    const base = `${q.ip} - - [${clf(epochMs)}] "${q.method} ${q.path} HTTP/1.1" ${q.status} ${q.bytes} "${q.referer}" "${q.userAgent}"`;
    return withRequestTime ? `${base} ${(q.latencyMs / 1000).toFixed(3)}` : base;
  };
  return {
    normal: (epochMs) => line(epochMs, traffic.draw()),
    error: (epochMs) => line(epochMs, traffic.draw(true)),
    novel(epochMs, template) {
      const q = traffic.draw();
      // The request line is space-separated and quoted: keep the path one token.
      const path = template.render(app.context).replaceAll(' ', '%20').replaceAll('"', '%22');
      return line(epochMs, { ...q, method: 'GET', path, status: 200, bytes: q.bytes || 512 });
    },
  };
}
