import type { ChildProcess } from 'node:child_process';

/** Resolves true when a Redis answers PING at host:port within timeoutMs. */
export function pingRedis(host: string, port: number, timeoutMs?: number): Promise<boolean>;
/** A port nothing listens on, below the kernel's ephemeral range (so no outgoing connection takes it first). */
export function freePort(): Promise<number>;
export function redisServerInstalled(): boolean;
/** Starts redis-server with AOF and `noeviction`, its files under `dir`; resolves once it answers PING. */
export function startRedisServer(options: {
  port: number;
  dir: string;
  appendfsync?: 'always' | 'everysec' | 'no';
}): Promise<ChildProcess>;
