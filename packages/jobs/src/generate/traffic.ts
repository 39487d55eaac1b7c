/**
 * HTTP traffic as a web shop's front door sees it: which paths are asked for (Zipf-like popularity),
 * with which method, how they answer (mostly 2xx, some 3xx/4xx, a few 5xx) and how long they take
 * (lognormal, with two slow endpoints). Shared by the access and JSON formats.
 */
import { type Random, WeightedPicker } from './random.js';

export interface Request {
  method: string;
  path: string;
  status: number;
  /** Response body size in bytes. */
  bytes: number;
  /** Time to answer in milliseconds. */
  latencyMs: number;
  ip: string;
  userAgent: string;
  /** "-" when the client sent none. */
  referer: string;
}

interface Route {
  method: string;
  /** Fixed path, or a function filling its variable parts. */
  path: string | ((random: Random) => string);
  /** Status of a successful answer. */
  ok: number;
  /** Median latency in ms and the lognormal sigma. */
  latency: readonly [number, number];
  /** Median body size in bytes of a successful answer. */
  bytes: number;
  /** Share of answers that are client errors, and which ones. */
  clientErrorRate?: number;
  clientErrors?: readonly number[];
  /** Share of answers that are 304 Not Modified (cached static files) or 302 redirects. */
  notModifiedRate?: number;
  redirectRate?: number;
}

const SEARCH_TERMS = [
  'shoes',
  'red+dress',
  'laptop',
  'coffee',
  'headphones',
  'tent',
  'lamp',
  'gift',
  'usb-c',
  'desk',
];
const STATIC = {
  latency: [2, 0.5],
  notModifiedRate: 0.3,
  clientErrorRate: 0.002,
  clientErrors: [404],
} as const;

/** In popularity order: the picker gives the first routes the most traffic. */
const ROUTES: readonly Route[] = [
  {
    method: 'GET',
    path: (r) => `/api/products?page=${r.between(1, 9)}`,
    ok: 200,
    latency: [35, 0.5],
    bytes: 8400,
  },
  { method: 'GET', path: '/static/app.js', ok: 200, bytes: 184_320, ...STATIC },
  {
    method: 'GET',
    path: (r) => `/api/users/${r.between(1, 99_999)}`,
    ok: 200,
    latency: [18, 0.4],
    bytes: 1200,
  },
  { method: 'GET', path: '/', ok: 200, latency: [12, 0.4], bytes: 14_300, redirectRate: 0.08 },
  { method: 'GET', path: '/static/styles.css', ok: 200, bytes: 42_100, ...STATIC },
  { method: 'GET', path: '/health', ok: 200, latency: [1, 0.3], bytes: 15, clientErrorRate: 0 },
  {
    method: 'GET',
    path: (r) => `/api/search?q=${r.pick(SEARCH_TERMS)}`,
    ok: 200,
    latency: [180, 0.7],
    bytes: 6200,
  },
  {
    method: 'POST',
    path: '/api/auth/login',
    ok: 200,
    latency: [95, 0.3],
    bytes: 640,
    clientErrorRate: 0.12,
    clientErrors: [401, 401, 401, 400, 429],
  },
  {
    method: 'GET',
    path: (r) => `/api/orders/${r.between(100_000, 999_999)}`,
    ok: 200,
    latency: [25, 0.5],
    bytes: 2100,
  },
  {
    method: 'POST',
    path: '/api/orders',
    ok: 201,
    latency: [120, 0.5],
    bytes: 900,
    clientErrors: [400, 409, 422],
  },
  { method: 'GET', path: '/api/cart', ok: 200, latency: [15, 0.4], bytes: 1500 },
  {
    method: 'POST',
    path: '/api/cart/items',
    ok: 201,
    latency: [22, 0.4],
    bytes: 300,
    clientErrors: [400, 422],
  },
  { method: 'GET', path: '/favicon.ico', ok: 200, bytes: 4286, ...STATIC, clientErrorRate: 0.05 },
  { method: 'GET', path: '/api/recommendations', ok: 200, latency: [110, 0.6], bytes: 3300 },
  {
    method: 'POST',
    path: '/api/payments',
    ok: 201,
    latency: [300, 0.5],
    bytes: 450,
    clientErrorRate: 0.05,
    clientErrors: [402, 400, 422],
  },
  {
    method: 'GET',
    path: (r) => `/api/users/${r.between(1, 99_999)}/orders`,
    ok: 200,
    latency: [45, 0.5],
    bytes: 5200,
  },
  {
    method: 'PUT',
    path: (r) => `/api/users/${r.between(1, 99_999)}`,
    ok: 200,
    latency: [40, 0.4],
    bytes: 1100,
  },
  {
    method: 'DELETE',
    path: (r) => `/api/cart/items/${r.between(1, 9999)}`,
    ok: 204,
    latency: [20, 0.4],
    bytes: 0,
    clientErrors: [404],
  },
  {
    method: 'GET',
    path: (r) => `/images/products/${r.between(1, 5000)}.jpg`,
    ok: 200,
    bytes: 48_000,
    ...STATIC,
  },
  // The slow one: a CSV export that scans a large table.
  { method: 'GET', path: '/api/reports/export?format=csv', ok: 200, latency: [1600, 0.6], bytes: 2_400_000 },
  { method: 'POST', path: '/api/auth/logout', ok: 204, latency: [8, 0.3], bytes: 0 },
  { method: 'GET', path: '/robots.txt', ok: 200, bytes: 68, ...STATIC },
  { method: 'GET', path: '/api/notifications', ok: 200, latency: [30, 0.5], bytes: 700 },
  {
    method: 'PATCH',
    path: (r) => `/api/orders/${r.between(100_000, 999_999)}`,
    ok: 200,
    latency: [60, 0.4],
    bytes: 900,
  },
  { method: 'OPTIONS', path: '/api/cart', ok: 204, latency: [1, 0.3], bytes: 0 },
  {
    method: 'GET',
    path: '/admin',
    ok: 200,
    latency: [5, 0.3],
    bytes: 900,
    clientErrorRate: 0.9,
    clientErrors: [403],
  },
  // Vulnerability scanners probing for files that are not there.
  { method: 'GET', path: '/wp-login.php', ok: 404, latency: [2, 0.3], bytes: 150 },
  { method: 'GET', path: '/.env', ok: 404, latency: [2, 0.3], bytes: 150 },
];

/** In popularity order: the shop's own apps first, then browsers, libraries, probes and crawlers. */
const USER_AGENTS = [
  'ShopApp/5.2.1 (iPhone; iOS 17.2; Scale/3.00)',
  'ShopApp/5.2.0 (Android 14; Pixel 8)',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1',
  'okhttp/4.12.0',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'curl/8.5.0',
  'python-requests/2.31.0',
  'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
  'kube-probe/1.29',
];

const REFERERS = ['https://shop.example.com/', 'https://shop.example.com/cart', 'https://www.google.com/'];

/** Server errors in the mix they usually come in; 504 answers take the proxy's full timeout. */
const SERVER_ERRORS = [500, 500, 500, 502, 502, 503, 503, 504];
const GATEWAY_TIMEOUT_MS = 30_000;
const DEFAULT_CLIENT_ERRORS = [404, 400, 401, 403, 429];
/** Baseline shares of all answers (outside an error burst). */
const SERVER_ERROR_RATE = 0.004;
const CLIENT_ERROR_RATE = 0.02;

/** Draws requests; holds the client address pool so popular clients recur. */
export class TrafficModel {
  private readonly routes = WeightedPicker.zipf(ROUTES, 1);
  private readonly agents = WeightedPicker.zipf(USER_AGENTS, 1.2);
  private readonly clients: WeightedPicker<string>;

  constructor(private readonly random: Random) {
    // 2,000 client addresses, drawn once from the seed; a few heavy clients, a long tail.
    const addresses: string[] = [];
    for (let i = 0; i < 2000; i++) {
      addresses.push(
        `${random.between(11, 223)}.${random.int(256)}.${random.int(256)}.${random.between(1, 254)}`,
      );
    }
    this.clients = WeightedPicker.zipf(addresses, 1.1);
  }

  clientIp(): string {
    return this.clients.pick(this.random);
  }

  /** One request; `serverError` forces a 5xx answer (an error burst). */
  draw(serverError = false): Request {
    const r = this.random;
    const route = this.routes.pick(r);
    const path = typeof route.path === 'string' ? route.path : route.path(r);
    let status = route.ok;
    let bytes = 0;
    let latencyMs = r.lognormal(route.latency[0], route.latency[1]);
    if (serverError || r.chance(SERVER_ERROR_RATE)) {
      status = r.pick(SERVER_ERRORS);
      bytes = r.between(150, 600);
      if (status === 504) latencyMs = GATEWAY_TIMEOUT_MS + r.int(50);
    } else if (r.chance(route.clientErrorRate ?? CLIENT_ERROR_RATE)) {
      status = r.pick(route.clientErrors ?? DEFAULT_CLIENT_ERRORS);
      bytes = r.between(120, 400);
    } else if (route.notModifiedRate !== undefined && r.chance(route.notModifiedRate)) {
      status = 304;
    } else if (route.redirectRate !== undefined && r.chance(route.redirectRate)) {
      status = 302;
      bytes = 154;
    } else if (status !== 204) {
      bytes = Math.round(r.lognormal(route.bytes, 0.4));
    }
    return {
      method: route.method,
      path,
      status,
      bytes,
      latencyMs,
      ip: this.clientIp(),
      userAgent: this.agents.pick(r),
      referer: r.chance(0.8) ? '-' : r.pick(REFERERS),
    };
  }
}
