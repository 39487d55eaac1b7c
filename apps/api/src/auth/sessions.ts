import { createHash, randomBytes } from 'node:crypto';
import { waitForRedis } from '@logsift/jobs';
import type { Redis } from 'ioredis';

/** A signed-in browser's session lasts this long, seconds (12 h); signing in again starts a new one. */
export const SESSION_TTL_SECONDS = 12 * 3600;

export interface Session {
  /** The token's name from LOGSIFT_TOKENS. */
  caller: string;
  /** SHA-256 (hex) of the token signed in with: the session ends when that token is no longer configured. */
  tokenHash: string;
  /** The CSRF token the browser must echo in X-XSRF-TOKEN (or X-CSRF-Token) on state-changing requests. */
  csrf: string;
  createdAt: number;
}

export const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');
const randomId = () => randomBytes(32).toString('base64url');

/**
 * Browser sessions in Redis, so every API process sees them and a restart keeps people signed in. Keys hold a
 * digest of the session id, never the id itself, and expire with the session.
 */
export class SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlSeconds = SESSION_TTL_SECONDS,
  ) {}

  /**
   * The API's Redis connection fails fast rather than queueing commands; right after start-up it is still
   * connecting, which is worth a short wait (2 s), unlike an outage.
   */
  private async ready(): Promise<void> {
    if (this.redis.status === 'wait' || this.redis.status === 'connecting' || this.redis.status === 'connect')
      await waitForRedis(this.redis, 2_000);
  }

  private key(id: string): string {
    return `${this.prefix}:session:${sha256Hex(id)}`;
  }

  async create(caller: string, tokenHash: string): Promise<{ id: string; session: Session }> {
    const id = randomId();
    const session: Session = { caller, tokenHash, csrf: randomId(), createdAt: Date.now() };
    await this.ready();
    await this.redis.set(this.key(id), JSON.stringify(session), 'EX', this.ttlSeconds);
    return { id, session };
  }

  async get(id: string): Promise<Session | undefined> {
    await this.ready();
    const text = await this.redis.get(this.key(id));
    return text ? (JSON.parse(text) as Session) : undefined;
  }

  async delete(id: string): Promise<void> {
    await this.ready();
    await this.redis.del(this.key(id));
  }
}
