import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readiness } from '@logsift/jobs';
import type { Registry } from 'prom-client';

export interface MetricsServerOptions {
  port: number;
  host: string;
  registry: Registry;
  readiness: () => Promise<Readiness>;
}

/**
 * A worker's own small HTTP server: GET /metrics (Prometheus text), /health (alive) and /ready (Redis,
 * database, migrations, workers running). No token: it is meant for a private network, like a sidecar port;
 * bind it to 127.0.0.1 (the default HOST) unless a scraper elsewhere must reach it.
 */
export async function startMetricsServer(options: MetricsServerOptions): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(405, { error: 'GET only' });
    if (path === '/health') return json(200, { status: 'ok' });
    if (path === '/ready') {
      options.readiness().then(
        ({ ready, checks }) => json(ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', checks }),
        (err: Error) => json(503, { status: 'not ready', error: err.message }),
      );
      return;
    }
    if (path === '/metrics') {
      options.registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': options.registry.contentType });
          res.end(text);
        },
        (err: Error) => json(500, { error: err.message }),
      );
      return;
    }
    json(404, { error: `no route ${path}; try /metrics, /health, /ready` });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

export function boundPort(server: Server): number {
  return (server.address() as AddressInfo).port;
}
