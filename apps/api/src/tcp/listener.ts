import { createServer, type Server, type Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { createTokenCheck } from '../plugins/auth.js';
import { TcpSession } from './session.js';

export interface TcpIngest {
  /** The port listened on (useful when asked for port 0). */
  port: number;
  /** Connections open now. */
  connections(): number;
  close(): Promise<void>;
}

/**
 * The TCP listener for live events (TCP_PORT, default 5170), in the API process so it shares the API's
 * ingest (one dedup bookkeeping, one spool writer). Connections beyond TCP_MAX_CONNECTIONS are answered
 * with an error line and closed at once; each connection is a TcpSession.
 */
export async function startTcpIngest(
  app: FastifyInstance,
  options: { port?: number; host?: string } = {},
): Promise<TcpIngest> {
  const { config } = app.ctx;
  const live = config.live;
  const checkToken = createTokenCheck(config.tokens);
  const sockets = new Set<Socket>();
  // Half-open: after the client ends its side, its last frames are still accepted and acknowledged.
  const server: Server = createServer({ allowHalfOpen: true }, (socket) => {
    if (sockets.size >= live.tcpMaxConnections) {
      socket.end(
        `${JSON.stringify({ error: { code: 'too_many_connections', message: `at most ${live.tcpMaxConnections} connections` } })}\n`,
      );
      socket.destroySoon();
      return;
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    new TcpSession(socket, {
      live: app.live,
      checkToken,
      admins: config.admins,
      maxLineBytes: live.tcpMaxLineBytes,
      maxEvents: live.maxEventsPerRequest,
      idleMs: live.tcpIdleMs,
      onError: (err) => app.log.error({ err }, 'tcp ingest failed'),
    });
  });
  server.on('error', (err) => app.log.error({ err }, 'tcp listener error'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? live.tcpPort, options.host ?? config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    connections: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
