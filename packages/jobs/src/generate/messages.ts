/**
 * Application log messages for the json and plain formats: a few dozen templates whose variable parts
 * (ids, durations, counts) change per line, so template mining has real structure to find.
 */
import type { Level } from '../entry.js';
import type { Random } from './random.js';

/** What a template variable may draw on besides the random source. */
export interface VariableContext {
  random: Random;
  clientIp(): string;
  service(): string;
}

type Variable = (ctx: VariableContext) => string;

/** Variables a template may name as `{name}`. Durations are lognormal like real latencies. */
const VARIABLES: Record<string, Variable> = {
  id: ({ random }) => String(random.between(1, 999_999)),
  ms: ({ random }) => String(Math.round(random.lognormal(40, 0.8))),
  slowms: ({ random }) => String(Math.round(random.lognormal(2500, 0.4))),
  count: ({ random }) => String(random.int(500)),
  small: ({ random }) => String(random.between(1, 9)),
  pct: ({ random }) => String(random.between(60, 99)),
  hex: ({ random }) => random.hex(8),
  amount: ({ random }) => (random.between(100, 50_000) / 100).toFixed(2),
  bytes: ({ random }) => String(Math.round(random.lognormal(200_000, 1))),
  ip: (ctx) => ctx.clientIp(),
  service: (ctx) => ctx.service(),
};

export interface MessageTemplate {
  level: Level;
  /** Relative frequency among templates of normal traffic. */
  weight: number;
  /** Service that usually logs it, when that service is among the generated ones. */
  service?: string;
  /** The template with variables as `{name}`. */
  text: string;
}

export const MESSAGE_TEMPLATES: readonly MessageTemplate[] = [
  { level: 'INFO', weight: 30, service: 'auth', text: 'user {id} logged in from {ip}' },
  { level: 'INFO', weight: 12, service: 'auth', text: 'user {id} logged out after {count} requests' },
  { level: 'INFO', weight: 15, service: 'auth', text: 'session {hex} created for user {id}' },
  {
    level: 'WARN',
    weight: 4,
    service: 'auth',
    text: 'invalid password for user {id} from {ip} (attempt {small})',
  },
  { level: 'INFO', weight: 10, service: 'auth', text: 'token refreshed for user {id}, expires in {count}s' },
  { level: 'INFO', weight: 3, service: 'auth', text: 'cleanup removed {count} expired sessions' },
  {
    level: 'INFO',
    weight: 12,
    service: 'payments',
    text: 'payment {hex} authorized amount={amount} EUR for order {id}',
  },
  { level: 'INFO', weight: 10, service: 'payments', text: 'payment {hex} captured in {ms}ms' },
  { level: 'WARN', weight: 2, service: 'payments', text: 'payment {hex} declined: insufficient funds' },
  { level: 'INFO', weight: 2, service: 'payments', text: 'refund {hex} issued for order {id}' },
  { level: 'INFO', weight: 5, service: 'payments', text: 'webhook delivered to endpoint {id} in {ms}ms' },
  { level: 'INFO', weight: 25, service: 'search', text: 'search query returned {count} results in {ms}ms' },
  { level: 'DEBUG', weight: 20, service: 'search', text: 'search cache hit for key {hex}' },
  { level: 'DEBUG', weight: 8, service: 'search', text: 'search cache miss for key {hex}' },
  {
    level: 'INFO',
    weight: 2,
    service: 'search',
    text: 'index segment {small} merged: {count} documents in {ms}ms',
  },
  {
    level: 'WARN',
    weight: 1,
    service: 'search',
    text: 'cache eviction: {count} keys removed, memory at {pct}%',
  },
  { level: 'INFO', weight: 20, service: 'api', text: 'fetched order {id} with {small} items in {ms}ms' },
  { level: 'INFO', weight: 8, service: 'api', text: 'created order {id} for user {id}' },
  { level: 'INFO', weight: 6, service: 'api', text: 'updated profile for user {id}' },
  { level: 'DEBUG', weight: 15, service: 'api', text: 'db query on orders returned {count} rows in {ms}ms' },
  { level: 'WARN', weight: 2, service: 'api', text: 'slow query on orders took {slowms}ms' },
  { level: 'WARN', weight: 2, service: 'api', text: 'rate limit exceeded for client {ip}' },
  { level: 'INFO', weight: 5, service: 'api', text: 'sent email notification to user {id}' },
  { level: 'INFO', weight: 3, service: 'api', text: 'uploaded file {hex}.pdf ({bytes} bytes)' },
  { level: 'DEBUG', weight: 4, service: 'api', text: 'feature flag checkout-v2 enabled for user {id}' },
  { level: 'INFO', weight: 6, text: 'connection pool stats: active={small} idle={small} waiting={small}' },
  { level: 'INFO', weight: 8, text: 'health check ok in {ms}ms' },
  { level: 'DEBUG', weight: 1, text: 'config reloaded: {count} keys' },
  { level: 'WARN', weight: 2, text: 'retrying request to {service} (attempt {small} of 3)' },
  {
    level: 'ERROR',
    weight: 0.4,
    service: 'payments',
    text: 'failed to charge card for order {id}: gateway timeout after {slowms}ms',
  },
  { level: 'ERROR', weight: 0.3, text: 'database connection lost, reconnecting in {small}s' },
  {
    level: 'ERROR',
    weight: 0.3,
    service: 'api',
    text: 'unhandled exception in request {hex}: TypeError: cannot read properties of undefined',
  },
  { level: 'ERROR', weight: 0.3, text: 'upstream {service} returned 503 after {ms}ms' },
  {
    level: 'ERROR',
    weight: 0.2,
    service: 'auth',
    text: 'token validation failed for session {hex}: signature mismatch',
  },
];

/** A template split at its variables so rendering is a few string joins. */
export interface CompiledTemplate {
  level: Level;
  service?: string;
  /** The message shape with every variable replaced by `<*>`, as template miners write it. */
  pattern: string;
  render(ctx: VariableContext): string;
}

export function compileTemplate(
  template: Pick<MessageTemplate, 'level' | 'service' | 'text'>,
): CompiledTemplate {
  const literals: string[] = [];
  const variables: Variable[] = [];
  let last = 0;
  for (const match of template.text.matchAll(/\{([a-z]+)\}/g)) {
    const variable = VARIABLES[match[1] as string];
    if (!variable) continue; // an unknown {word} stays literal text
    literals.push(template.text.slice(last, match.index));
    variables.push(variable);
    last = match.index + match[0].length;
  }
  literals.push(template.text.slice(last));
  const first = literals[0] as string;
  return {
    level: template.level,
    service: template.service,
    pattern: template.text.replace(/\{([a-z]+)\}/g, (whole, name: string) =>
      VARIABLES[name] ? '<*>' : whole,
    ),
    render(ctx) {
      let s = first;
      for (let i = 0; i < variables.length; i++) s += (variables[i] as Variable)(ctx) + literals[i + 1];
      return s;
    },
  };
}
