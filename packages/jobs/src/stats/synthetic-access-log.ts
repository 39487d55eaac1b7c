import type { StatsEntry } from './classify.js';
import { SeededRandom } from './prng.js';

export interface SyntheticAccessLogOptions {
  /** Entries to produce. */
  count: number;
  /** Time of the first entry, epoch ms UTC. Default 2024-03-01T00:00:00Z. */
  startTs?: number;
  /** Mean request rate; gaps between requests are exponential. Default 50 per second. */
  linesPerSecond?: number;
  seed?: number;
}

/** Fixed endpoints with their median latency (ms); requests to them carry no ids. */
const ENDPOINTS: readonly [string, number][] = [
  ['/', 12],
  ['/health', 2],
  ['/login', 80],
  ['/logout', 15],
  ['/static/app.js', 5],
  ['/static/app.css', 4],
  ['/api/search', 180],
  ['/api/cart', 45],
  ['/api/checkout', 320],
  ['/api/products', 60],
];
/** Endpoints with an id in the path (/api/users/123): unbounded distinct paths, as real logs have. */
const ID_ENDPOINTS: readonly [string, number][] = [
  ['/api/users/', 35],
  ['/api/orders/', 70],
  ['/api/products/', 25],
];
const SERVICES = ['web', 'api', 'auth', 'cart', 'search'] as const;

/**
 * A deterministic stream of typical access-log entries (for tests and measurements): 60% of requests to
 * ten fixed endpoints, 40% to paths with one of 5,000 ids; GET 80%, POST 15%, PUT 3%, DELETE 2%; status
 * 2xx 93%, 3xx 2%, 4xx 4%, 5xx 1%; lognormal latency around each endpoint's median.
 */
export function* syntheticAccessLog(options: SyntheticAccessLogOptions): Generator<StatsEntry> {
  const rng = new SeededRandom(options.seed ?? 7);
  const rate = options.linesPerSecond ?? 50;
  let ts = options.startTs ?? Date.UTC(2024, 2, 1);
  for (let i = 0; i < options.count; i++) {
    ts += Math.round((-Math.log(1 - rng.next()) / rate) * 1000);
    let path: string;
    let median: number;
    if (rng.next() < 0.6) {
      [path, median] = ENDPOINTS[Math.floor(rng.next() ** 2 * ENDPOINTS.length)]!;
    } else {
      const [prefix, m] = ID_ENDPOINTS[rng.below(ID_ENDPOINTS.length)]!;
      path = `${prefix}${1 + rng.below(5000)}`;
      median = m;
    }
    const m = rng.next();
    const method = m < 0.8 ? 'GET' : m < 0.95 ? 'POST' : m < 0.98 ? 'PUT' : 'DELETE';
    const s = rng.next();
    const status =
      s < 0.93 ? (s < 0.9 ? 200 : 201) : s < 0.95 ? 304 : s < 0.99 ? (s < 0.98 ? 404 : 401) : 503;
    // Box-Muller: a normal deviate for a lognormal latency with sigma 0.6.
    const normal = Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
    const latencyMs = Math.round(median * Math.exp(0.6 * normal) * 1000) / 1000;
    yield {
      ts,
      service: SERVICES[rng.below(SERVICES.length)]!,
      method,
      path,
      status,
      latencyMs,
      message: `${method} ${path} HTTP/1.1`,
    };
  }
}
