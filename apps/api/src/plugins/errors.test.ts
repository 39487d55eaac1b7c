import { AppError, createRedis } from '@logsift/jobs';
import { describe, expect, it } from 'vitest';
import { freePortForTest } from '../test-support/ports.js';
import { isRedisDown } from './errors.js';

describe('isRedisDown', () => {
  it("recognises a producer connection's errors while Redis is unreachable, also as a cause", async () => {
    const redis = createRedis(`redis://127.0.0.1:${await freePortForTest()}`, 'producer');
    redis.on('error', () => {});
    try {
      const err = await redis.get('x').then(
        () => undefined,
        (e: Error) => e,
      );
      expect(err?.message).toMatch(/enableOfflineQueue|Connection is closed/);
      expect(isRedisDown(err)).toBe(true);
      expect(isRedisDown(new AppError('internal', 'enqueue failed', { cause: err }))).toBe(true);
      expect(isRedisDown(new Error('no such file'))).toBe(false);
      expect(isRedisDown(undefined)).toBe(false);
    } finally {
      redis.disconnect();
    }
  });
});
