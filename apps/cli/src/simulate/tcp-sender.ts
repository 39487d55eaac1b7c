import { connect, type Socket } from 'node:net';
import type { SimulatedEvent } from './events.js';
import type { BatchSender } from './http-sender.js';
import type { Tally } from './tally.js';

interface Waiting {
  /** The last frame of the batch, and how many frames it has. */
  last: number;
  count: number;
  started: number;
  resolve(): void;
}

/** One authenticated TCP connection of one service, sending NDJSON frames and reading acknowledgements. */
class Connection {
  private readonly socket: Socket;
  private frames = 0;
  private buffer = '';
  private readonly waiting: Waiting[] = [];
  private readonly ready: Promise<void>;
  private failed: string | undefined;

  constructor(
    port: number,
    host: string,
    token: string,
    private readonly tally: Tally,
  ) {
    this.socket = connect({ port, host });
    this.socket.setNoDelay(true);
    this.socket.setEncoding('utf8');
    let authed: () => void = () => {};
    let refused: (err: Error) => void = () => {};
    this.ready = new Promise((resolve, reject) => {
      authed = resolve;
      refused = reject;
    });
    this.socket.on('connect', () => this.socket.write(`AUTH ${token}\n`));
    this.socket.on('data', (data: string) => {
      this.buffer += data;
      for (let nl = this.buffer.indexOf('\n'); nl >= 0; nl = this.buffer.indexOf('\n')) {
        const answer = JSON.parse(this.buffer.slice(0, nl)) as Record<string, unknown>;
        this.buffer = this.buffer.slice(nl + 1);
        if (answer.ok) authed();
        else if (answer.error) {
          const e = answer.error as { message: string };
          refused(new Error(e.message));
          this.fail(e.message);
        } else if (typeof answer.ack === 'number') this.acknowledged(answer);
        else if (answer.wait) this.tally.retries++;
      }
    });
    const lost = (why: string) => {
      refused(new Error(why));
      this.fail(why);
    };
    this.socket.on('error', (err) => lost(err.message));
    this.socket.on('close', () => lost('connection closed'));
  }

  async send(events: readonly SimulatedEvent[]): Promise<void> {
    await this.ready.catch(() => undefined);
    this.tally.sent += events.length;
    if (this.failed) {
      this.tally.fail(events.length, this.failed);
      return;
    }
    this.frames += events.length;
    const done = new Promise<void>((resolve) =>
      this.waiting.push({ last: this.frames, count: events.length, started: performance.now(), resolve }),
    );
    this.socket.write(events.map((e) => `${JSON.stringify(e.body)}\n`).join(''));
    await done;
  }

  private acknowledged(answer: Record<string, unknown>): void {
    const now = performance.now();
    const upTo = answer.ack as number;
    const first = this.waiting[0];
    this.tally.answered(answer as never, first ? now - first.started : 0);
    while (this.waiting.length > 0 && (this.waiting[0] as Waiting).last <= upTo) {
      (this.waiting.shift() as Waiting).resolve();
    }
  }

  private fail(why: string): void {
    if (this.failed) return;
    this.failed = why;
    for (const w of this.waiting.splice(0)) {
      this.tally.fail(w.count, why);
      w.resolve();
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.socket.end(() => resolve());
      setTimeout(resolve, 2_000).unref();
    });
  }
}

/** Frames over the TCP listener, one connection per service; an acknowledgement may cover several batches. */
export class TcpSender implements BatchSender {
  private readonly connections = new Map<string, Connection>();

  constructor(
    private readonly port: number,
    private readonly host: string,
    private readonly tokenOf: (service: string) => string,
    private readonly tally: Tally,
  ) {}

  send(service: string, events: readonly SimulatedEvent[]): Promise<void> {
    let c = this.connections.get(service);
    if (!c) {
      c = new Connection(this.port, this.host, this.tokenOf(service), this.tally);
      this.connections.set(service, c);
    }
    return c.send(events);
  }

  async close(): Promise<void> {
    await Promise.all([...this.connections.values()].map((c) => c.close()));
  }
}
