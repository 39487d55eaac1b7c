/**
 * The simulator's events: weighted random services, levels and messages from a seeded generator, with
 * duplicates (an event sent again with its event_id), late events (a timestamp in the past) and invalid
 * events mixed in at the rates asked for. Pure: the clock is passed in.
 */

export interface SimulatedService {
  name: string;
  /** Relative share of the traffic. */
  weight: number;
}

export interface EventMix {
  /** Share of sends that repeat an event already sent (0..1). */
  duplicates: number;
  /** Share of events whose timestamp lies up to `maxLatenessMs` in the past (0..1). */
  outOfOrder: number;
  maxLatenessMs: number;
  /** Share of events that break the schema (0..1). */
  invalid: number;
}

export type EventKind = 'new' | 'duplicate' | 'late' | 'invalid';

export interface SimulatedEvent {
  service: string;
  kind: EventKind;
  body: Record<string, unknown>;
}

const LEVELS: readonly [string, number][] = [
  ['debug', 10],
  ['info', 75],
  ['warn', 9],
  ['error', 5],
  ['fatal', 1],
];

const MESSAGES: Record<string, readonly string[]> = {
  payments: [
    'payment {id} authorized for {amount} EUR',
    'card ending {card} declined: insufficient funds',
    'refund {id} issued after {ms} ms',
    'fraud check passed for order {id}',
  ],
  orders: [
    'order {id} placed with {n} items',
    'order {id} shipped to zone {n}',
    'inventory low for sku {card}',
  ],
  chat: ['user {id} joined room {n}', 'message {id} delivered in {ms} ms', 'websocket {id} closed: idle'],
};
const GENERIC = ['request {id} handled in {ms} ms', 'cache miss for key {card}', 'job {id} finished'];

/** Ways an event is made invalid, in turn: each is rejected with its own code. */
const BREAKERS: readonly ((e: Record<string, unknown>) => void)[] = [
  (e) => {
    delete e.message;
  },
  (e) => {
    e.level = 'loud';
  },
  (e) => {
    e.timestamp = 'not a time';
  },
  (e) => {
    e.msg = e.message;
  },
];

/** mulberry32: a small, fast, seeded generator of uniform floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Recently sent events kept per service for duplicates. */
const RECENT = 256;

export class EventFactory {
  private readonly random: () => number;
  private readonly totalWeight: number;
  private seq = 0;
  private broken = 0;
  private readonly recent = new Map<string, Record<string, unknown>[]>();

  constructor(
    private readonly services: readonly SimulatedService[],
    private readonly mix: EventMix,
    private readonly runId: string,
    seed: number,
  ) {
    this.random = seededRandom(seed);
    this.totalWeight = services.reduce((n, s) => n + s.weight, 0);
  }

  next(now: number): SimulatedEvent {
    const service = this.pickService();
    const recent = this.recent.get(service) ?? [];
    const r = this.random();
    if (r < this.mix.duplicates && recent.length > 0) {
      const again = recent[Math.floor(this.random() * recent.length)] as Record<string, unknown>;
      return { service, kind: 'duplicate', body: again };
    }
    const late = this.random() < this.mix.outOfOrder;
    const body: Record<string, unknown> = {
      timestamp: new Date(
        late ? now - 1000 - this.random() * (this.mix.maxLatenessMs - 1000) : now,
      ).toISOString(),
      level: this.pickLevel(),
      service,
      message: this.message(service),
      event_id: `${this.runId}-${++this.seq}`,
      attributes: { region: this.random() < 0.5 ? 'eu-west-1' : 'us-east-1', sim: this.runId },
    };
    if (this.random() < this.mix.invalid) {
      (BREAKERS[this.broken++ % BREAKERS.length] as (e: Record<string, unknown>) => void)(body);
      return { service, kind: 'invalid', body };
    }
    recent.push(body);
    if (recent.length > RECENT) recent.shift();
    this.recent.set(service, recent);
    return { service, kind: late ? 'late' : 'new', body };
  }

  private pickService(): string {
    let x = this.random() * this.totalWeight;
    for (const s of this.services) {
      x -= s.weight;
      if (x < 0) return s.name;
    }
    return (this.services.at(-1) as SimulatedService).name;
  }

  private pickLevel(): string {
    let x = this.random() * 100;
    for (const [level, share] of LEVELS) {
      x -= share;
      if (x < 0) return level;
    }
    return 'info';
  }

  private message(service: string): string {
    const list = MESSAGES[service] ?? GENERIC;
    const template = list[Math.floor(this.random() * list.length)] as string;
    return template.replace(/\{(\w+)\}/g, (_, name: string) => {
      if (name === 'amount') return (this.random() * 500).toFixed(2);
      if (name === 'card') return String(1000 + Math.floor(this.random() * 9000));
      if (name === 'ms') return String(Math.floor(this.random() * 900) + 1);
      if (name === 'n') return String(Math.floor(this.random() * 20) + 1);
      return String(Math.floor(this.random() * 1_000_000));
    });
  }
}
