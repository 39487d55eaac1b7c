import { timingSafeEqual } from 'node:crypto';

// Not @fastify/csrf-protection: it keeps its secret in a cookie or a session plugin of its own, while the
// session here already lives in Redis with its token, and Bull Board's HTTP client sends X-XSRF-TOKEN from
// the XSRF-TOKEN cookie, which these checks compare with the session's token directly.

/** Methods that change state: a cookie-authenticated request with one of these must pass the CSRF checks. */
export const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The header the dashboard sends; Bull Board's HTTP client sends X-XSRF-TOKEN from the XSRF-TOKEN cookie. */
export const CSRF_HEADERS = ['x-xsrf-token', 'x-csrf-token'] as const;

export interface CsrfRequest {
  method: string;
  /** The request's own origin, e.g. "http://127.0.0.1:3000". */
  origin: string;
  headers: Record<string, string | string[] | undefined>;
}

const header = (headers: CsrfRequest['headers'], name: string) => {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
};

function sameToken(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Why a request must be refused as coming from a page of another site, by what the browser says of it
 * (Sec-Fetch-Site, Origin); undefined when it says nothing or says same origin. Clients other than
 * browsers send neither header.
 */
export function crossSiteRejection(request: CsrfRequest): string | undefined {
  const site = header(request.headers, 'sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    return `cross-site request (Sec-Fetch-Site: ${site})`;
  }
  const origin = header(request.headers, 'origin');
  if (origin !== undefined && origin !== request.origin) return `request from another origin (${origin})`;
  return undefined;
}

/**
 * Why a cookie-authenticated request must be refused as cross-site, or undefined when it may proceed.
 * Three layers: the cookie is SameSite=Strict (set elsewhere); the browser's own Sec-Fetch-Site and Origin
 * must say same origin when present; and the request must echo the session's CSRF token in a header, which
 * a page of another origin can neither read nor set.
 */
export function csrfRejection(request: CsrfRequest, sessionToken: string): string | undefined {
  if (!UNSAFE_METHODS.has(request.method)) return undefined;
  const crossSite = crossSiteRejection(request);
  if (crossSite) return crossSite;
  const presented = CSRF_HEADERS.map((h) => header(request.headers, h)).find((v) => v !== undefined);
  if (!presented) return 'missing X-XSRF-TOKEN header (the value of the XSRF-TOKEN cookie)';
  if (!sameToken(presented, sessionToken)) return 'X-XSRF-TOKEN does not match this session';
  return undefined;
}
