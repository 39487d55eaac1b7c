import { connect, type Socket } from 'node:net';

/** A test client of the TCP listener: sends bytes, collects the JSON lines the server answers. */
export class TcpClient {
  readonly lines: Record<string, unknown>[] = [];
  /** Answer lines that were not JSON objects (there should be none: `answer()` fails when there are). */
  readonly unparsed: string[] = [];
  closed = false;
  private buffer = '';

  private constructor(readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (data: string) => {
      this.buffer += data;
      let nl = this.buffer.indexOf('\n');
      while (nl >= 0) {
        const text = this.buffer.slice(0, nl);
        const value = parseObject(text);
        if (value) this.lines.push(value);
        else this.unparsed.push(text);
        this.buffer = this.buffer.slice(nl + 1);
        nl = this.buffer.indexOf('\n');
      }
    });
    socket.on('close', () => {
      if (this.buffer !== '') this.unparsed.push(this.buffer); // a line cut short
      this.buffer = '';
      this.closed = true;
    });
    socket.on('error', () => {});
  }

  static open(port: number): Promise<TcpClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host: '127.0.0.1' }, () => resolve(new TcpClient(socket)));
      socket.once('error', reject);
    });
  }

  send(text: string | Buffer): void {
    this.socket.write(text);
  }

  /** Waits for the n-th answer line (1-based) and returns it. */
  async answer(n: number, timeoutMs = 10_000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    while (this.lines.length < n) {
      if (this.unparsed.length > 0)
        throw new Error(`answers that are not JSON: ${JSON.stringify(this.unparsed)}`);
      if (Date.now() > deadline)
        throw new Error(`no answer ${n} within ${timeoutMs} ms (got ${JSON.stringify(this.lines)})`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return this.lines[n - 1] as Record<string, unknown>;
  }

  /** Waits until the server closes the connection. */
  async closedByServer(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('the server did not close the connection');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
