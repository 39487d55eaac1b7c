export { freePort as freePortForTest } from '../../../../scripts/lib/redis.mjs';
