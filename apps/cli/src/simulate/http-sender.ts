import { Pool } from 'undici';
import type { SimulatedEvent } from './events.js';
import type { Tally } from './tally.js';

export interface BatchSender {
  /** Sends one batch of one service; resolves once it is acknowledged or has failed for good. */
  send(service: string, events: readonly SimulatedEvent[]): Promise<void>;
  close(): Promise<void>;
}

/** Pause after a network error before sending the batch again, ms. */
const NETWORK_RETRY_MS = 200;

/**
 * Batches as NDJSON to POST /api/logs over a pool of keep-alive connections. A 429 or 503 is honoured
 * (wait Retry-After, send the same batch again) until `giveUpAt`; other errors fail the batch.
 */
export class HttpSender implements BatchSender {
  private readonly pool: Pool;

  constructor(
    url: string,
    private readonly tokenOf: (service: string) => string,
    private readonly tally: Tally,
    private readonly giveUpAt: () => number,
    connections: number,
  ) {
    this.pool = new Pool(url, { connections, pipelining: 1 });
  }

  async send(service: string, events: readonly SimulatedEvent[]): Promise<void> {
    const body = `${events.map((e) => JSON.stringify(e.body)).join('\n')}\n`;
    this.tally.sent += events.length;
    for (;;) {
      const started = performance.now();
      try {
        const res = await this.pool.request({
          method: 'POST',
          path: '/api/logs',
          headers: {
            authorization: `Bearer ${this.tokenOf(service)}`,
            'content-type': 'application/x-ndjson',
          },
          body,
        });
        const text = await res.body.text();
        if (res.statusCode === 202) {
          this.tally.answered(JSON.parse(text), performance.now() - started);
          return;
        }
        if ((res.statusCode === 429 || res.statusCode === 503) && Date.now() < this.giveUpAt()) {
          this.tally.retries++;
          await sleep(Number(res.headers['retry-after'] ?? 1) * 1000);
          continue;
        }
        this.tally.fail(events.length, `HTTP ${res.statusCode}: ${text.slice(0, 200)}`);
        return;
      } catch (err) {
        if (Date.now() >= this.giveUpAt()) {
          this.tally.fail(events.length, (err as Error).message);
          return;
        }
        this.tally.retries++;
        await sleep(NETWORK_RETRY_MS);
      }
    }
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
