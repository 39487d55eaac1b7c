import type { Socket } from 'node:net';
import {
  AppError,
  type Frame,
  type FrameReader,
  frameReader,
  LineFramer,
  type LiveIngest,
  type Sender,
  SyslogFramer,
} from '@logsift/jobs';

/** Frames accepted per batch (one spool write, one acknowledgement), unless INGEST_MAX_EVENTS is lower. */
export const TCP_BATCH_FRAMES = 500;
/** Longest AUTH or FORMAT line. */
const COMMAND_MAX_BYTES = 1024;
/** Acknowledgements left unread by the client beyond this are dropped (syslog senders never read). */
const MAX_UNREAD_ACK_BYTES = 256 * 1024;

export interface SessionDeps {
  live: LiveIngest;
  /** Token -> caller name, or undefined. */
  checkToken(token: string): string | undefined;
  admins: ReadonlySet<string>;
  maxLineBytes: number;
  /** Most events ingest takes at once (INGEST_MAX_EVENTS): a batch never holds more frames. */
  maxEvents: number;
  idleMs: number;
  onError(err: Error): void;
}

/**
 * One TCP connection:
 *
 *   -> AUTH <token>                        <- {"ok":true,"caller":"payments","format":"json"}
 *   -> FORMAT syslog|json|<format name>    <- {"ok":true,"format":"syslog"}          (optional, once)
 *   -> frames ...                          <- {"ack":N,"accepted":a,"duplicates":d,"rejected":[...]}
 *
 * Frames are numbered from 1 after the commands; an acknowledgement covers every frame up to `ack`,
 * and its events are durable when it is sent, like a 2xx over HTTP. `json` frames are NDJSON events;
 * `syslog` frames use RFC 6587 framing (octet counting or newline) and RFC 5424/3164 parsing; any other
 * format name reads newline-delimited lines in that format. Errors are `{"error":{"code","message"}}`;
 * after an error about the connection itself (auth, idle, limits) the server closes it.
 *
 * Memory is bounded: a line longer than the limit is skipped as it streams by, and the socket is paused
 * while a batch is being accepted, so a client sending faster than ingest can take waits (TCP flow
 * control) instead of filling our memory. While ingest answers 429/503 the batch is retried after the
 * Retry-After delay, the socket still paused, and the client is told so with
 * `{"wait":{"code","message","retryAfter"}}` (its acknowledgement follows once the batch is accepted).
 */
export class TcpSession {
  private sender: Sender | undefined;
  private reader = frameReader('json') as FrameReader;
  private framer: LineFramer = new LineFramer(COMMAND_MAX_BYTES);
  private commandsDone = false;
  /** Bytes received before the commands were settled (a FORMAT line may follow AUTH). */
  private head: Buffer = Buffer.alloc(0);
  private pending: Frame[] = [];
  private nextFrame = 1;
  private busy = false;
  private ended = false;
  private closed = false;
  private scheduled = false;
  private readonly batchFrames: number;

  constructor(
    private readonly socket: Socket,
    private readonly deps: SessionDeps,
  ) {
    this.batchFrames = Math.min(TCP_BATCH_FRAMES, deps.maxEvents);
    socket.setNoDelay(true);
    socket.setTimeout(deps.idleMs);
    socket.on('timeout', () => {
      if (!this.busy) this.fail('idle_timeout', `no data for ${deps.idleMs / 1000} s`);
    });
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('end', () => {
      this.ended = true;
      // Bytes held back because they might have begun a FORMAT line are data after all.
      if (this.sender && !this.commandsDone && !this.closed) this.startData();
      this.pending.push(...this.framer.end());
      this.schedule();
    });
    socket.on('error', () => this.close());
    socket.on('close', () => {
      this.closed = true;
    });
  }

  private receive(chunk: Buffer): void {
    if (this.closed) return;
    if (!this.commandsDone) {
      this.head = Buffer.concat([this.head, chunk]);
      this.readCommands();
      return;
    }
    this.take(this.framer.push(chunk));
  }

  /** AUTH, then an optional FORMAT; whatever follows is data for the chosen framing. */
  private readCommands(): void {
    for (;;) {
      if (!this.sender) {
        const line = this.commandLine();
        if (line === undefined) return;
        const match = /^AUTH\s+(\S+)\s*$/.exec(line);
        const caller = match ? this.deps.checkToken(match[1] as string) : undefined;
        if (!caller) {
          this.fail('unauthorized', match ? 'unknown token' : 'the first line must be AUTH <token>');
          return;
        }
        this.sender = { caller, admin: this.deps.admins.has(caller) };
        this.reply({ ok: true, caller, format: 'json' });
        continue;
      }
      const prefix = 'FORMAT ';
      const seen = this.head.subarray(0, prefix.length).toString('latin1');
      if (seen.length < prefix.length && prefix.startsWith(seen)) return; // might still be a FORMAT line
      if (seen === prefix) {
        const line = this.commandLine();
        if (line === undefined) return;
        const name = line.slice(prefix.length).trim();
        const reader = frameReader(name);
        if (!reader) {
          this.fail('invalid_format', `unknown format "${name}": use json, syslog or a format name`);
          return;
        }
        this.reader = reader;
        this.reply({ ok: true, format: reader.name });
      }
      this.startData();
      return;
    }
  }

  /** The commands are settled: what is left of `head`, and all that follows, is data for the framing. */
  private startData(): void {
    this.commandsDone = true;
    this.framer =
      this.reader.framing === 'syslog'
        ? new SyslogFramer(this.deps.maxLineBytes)
        : new LineFramer(this.deps.maxLineBytes);
    const rest = this.head;
    this.head = Buffer.alloc(0);
    if (rest.length > 0) this.take(this.framer.push(rest));
  }

  /** The next complete command line of `head`, or undefined (failing the session when it is too long). */
  private commandLine(): string | undefined {
    const nl = this.head.indexOf(10);
    if (nl < 0) {
      if (this.head.length > COMMAND_MAX_BYTES) this.fail('line_too_long', 'command line too long');
      return undefined;
    }
    const line = this.head.subarray(0, nl).toString('utf8').replace(/\r$/, '');
    this.head = this.head.subarray(nl + 1);
    return line;
  }

  private take(frames: Frame[]): void {
    if (frames.length === 0) return;
    this.pending.push(...frames);
    if (this.pending.length >= this.batchFrames) this.socket.pause();
    this.schedule();
  }

  /** Accepts what arrived in this read burst as one batch (at most `batchFrames` frames at a time). */
  private schedule(): void {
    if (this.scheduled || this.busy) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.busy || this.closed) return;
    this.busy = true;
    this.socket.pause();
    try {
      while (this.pending.length > 0 && !this.closed) {
        const frames = this.pending.splice(0, this.batchFrames);
        const first = this.nextFrame;
        this.nextFrame += frames.length;
        await this.acceptWithRetry(frames, first);
      }
    } catch (err) {
      this.deps.onError(err as Error);
      this.fail('internal', 'internal error; frames after the last acknowledgement were not accepted');
      return;
    } finally {
      this.busy = false;
    }
    if (this.closed) return;
    if (this.ended) {
      this.socket.end();
      this.close();
    } else this.socket.resume();
  }

  private async acceptWithRetry(frames: Frame[], first: number): Promise<void> {
    const sender = this.sender as Sender;
    for (;;) {
      const now = Date.now();
      const items = frames.map((f) => this.reader.item(f, now, sender.admin));
      try {
        const result = await this.deps.live.accept(items, sender, 'tcp');
        this.reply({
          ack: first + frames.length - 1,
          accepted: result.accepted,
          duplicates: result.duplicates,
          rejected: result.rejected.map((r) => ({ frame: first + r.index, code: r.code, reason: r.reason })),
        });
        return;
      } catch (err) {
        if (!(err instanceof AppError) || err.retryAfter === undefined) throw err;
        // Back-pressure: hold the batch (and the socket) and try again.
        this.reply({ wait: { code: err.code, message: err.message, retryAfter: err.retryAfter } });
        await new Promise((r) => setTimeout(r, (err.retryAfter as number) * 1000));
        if (this.closed) return;
      }
    }
  }

  private reply(message: object): void {
    if (this.closed) return;
    if (this.socket.writableLength > MAX_UNREAD_ACK_BYTES) return;
    this.socket.write(`${JSON.stringify(message)}\n`);
  }

  /** Answers an error about the connection and closes it. */
  private fail(code: string, message: string): void {
    if (this.closed) return;
    this.socket.end(`${JSON.stringify({ error: { code, message } })}\n`);
    this.close();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.pending = [];
    this.socket.destroySoon();
  }
}
