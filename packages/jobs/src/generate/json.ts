/**
 * pino-style JSON lines: `{"level":30,"time":1705312800000,"pid":..,"hostname":..,"service":"api","msg":"..."}`,
 * request records (as pino-http writes them) carry `req`, `res` and `responseTime` (ms).
 */
import type { Level } from '../entry.js';
import type { ApplicationModel, AppRecord } from './application.js';
import type { LineMaker } from './line-maker.js';
import type { Random } from './random.js';
import type { Request, TrafficModel } from './traffic.js';

/** pino's numeric levels. */
export const PINO_LEVELS: Record<Level, number> = {
  TRACE: 10,
  DEBUG: 20,
  INFO: 30,
  WARN: 40,
  ERROR: 50,
  FATAL: 60,
};

/** Share of lines that are request records rather than application messages. */
const REQUEST_SHARE = 0.4;

/** Which default service answers a path; other paths (and unknown services) fall back to a random one. */
function serviceOfPath(path: string): string {
  if (path.startsWith('/api/auth')) return 'auth';
  if (path.startsWith('/api/payments')) return 'payments';
  if (path.startsWith('/api/search')) return 'search';
  return 'api';
}

export function createJsonLines(
  random: Random,
  traffic: TrafficModel,
  app: ApplicationModel,
  services: readonly string[],
): LineMaker {
  // Each service is one process: its pid, hostname and name open every line it writes.
  const heads = new Map<string, string>();
  for (const service of services) {
    const hostname = `${service}-${random.hex(5)}`;
    heads.set(
      service,
      `"pid":${random.between(1000, 60_000)},"hostname":${JSON.stringify(hostname)},"service":${JSON.stringify(service)}`,
    );
  }
  let requestId = 0;

  const appLine = (epochMs: number, r: AppRecord) =>
    `{"level":${PINO_LEVELS[r.level]},"time":${epochMs},${heads.get(r.service)},"msg":${JSON.stringify(r.message)}}`;

  const requestLine = (epochMs: number, q: Request, service?: string) => {
    const home = serviceOfPath(q.path);
    const head = heads.get(service ?? home) ?? heads.get(app.service());
    const level = q.status >= 500 ? 50 : q.status >= 400 ? 40 : 30;
    requestId++;
    return (
      `{"level":${level},"time":${epochMs},${head},"msg":"request completed",` +
      `"req":{"id":${requestId},"method":"${q.method}","url":"${q.path}","remoteAddress":"${q.ip}"},` +
      `"res":{"statusCode":${q.status}},"responseTime":${Math.round(q.latencyMs)}}`
    );
  };

  return {
    normal: (epochMs) =>
      random.chance(REQUEST_SHARE) ? requestLine(epochMs, traffic.draw()) : appLine(epochMs, app.normal()),
    error: (epochMs, service) =>
      random.chance(0.5)
        ? requestLine(epochMs, traffic.draw(true), service)
        : appLine(epochMs, app.error(service)),
    novel: (epochMs, template) => appLine(epochMs, app.from(template)),
  };
}
