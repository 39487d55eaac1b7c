import { ApiError, api } from '../api.js';
import { fill, h } from '../dom.js';
import { formatCount, formatShare, formatTime } from '../format.js';
import {
  type LiveEvent,
  type ServiceCount,
  toLiveEvents,
  toLiveStats,
  WindowCounter,
} from '../live/normalize.js';
import { type View, whileVisible } from './view.js';

/** Rows the tail keeps; older ones are dropped so a busy stream cannot grow the page without end. */
const TAIL_ROWS = 500;
const LEVELS = ['', 'TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];

function countsTable(caption: string, rows: ServiceCount[]): HTMLElement {
  return h(
    'table',
    { class: 'counts-table' },
    h('caption', {}, caption),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'service'),
        h('th', { scope: 'col' }, 'events'),
        h('th', { scope: 'col' }, 'errors'),
        h('th', { scope: 'col' }, 'error rate'),
      ),
    ),
    h(
      'tbody',
      {},
      ...(rows.length === 0
        ? [h('tr', {}, h('td', { colspan: 4, class: 'empty' }, 'no events yet'))]
        : rows.map((r) =>
            h(
              'tr',
              { 'data-service': r.service },
              h('th', { scope: 'row' }, r.service),
              h('td', {}, formatCount(r.total)),
              h('td', {}, formatCount(r.errors)),
              h('td', {}, r.total ? formatShare(r.errors / r.total) : '–'),
            ),
          )),
    ),
  );
}

function eventRow(e: LiveEvent): HTMLElement {
  return h(
    'li',
    { class: `event level-${e.level.toLowerCase()}` },
    h('time', {}, formatTime(e.t)),
    h('span', { class: 'level' }, e.level),
    h('span', { class: 'service' }, e.service),
    h('span', { class: 'message' }, e.message),
  );
}

/**
 * Live events: a tail of /api/logs/stream with filters, per-service counts over the last minute from what
 * the tail saw (updated as events arrive), and the server's statistics for the last hour. When the server
 * has no live-event routes (404) the page says so instead.
 */
export function liveView(): View {
  const el = h('main', { id: 'main', class: 'live' }, h('h1', {}, 'Live events'));
  const level = h(
    'select',
    { id: 'f-level', name: 'level' },
    ...LEVELS.map((l) => h('option', { value: l }, l || 'any')),
  );
  const service = h('input', { id: 'f-service', name: 'service', type: 'text', autocomplete: 'off' });
  const q = h('input', { id: 'f-q', name: 'q', type: 'search', autocomplete: 'off' });
  // GET /api/logs holds uploaded lines too; this page is about live events unless asked otherwise.
  const source = h(
    'select',
    { id: 'f-source', name: 'source' },
    h('option', { value: 'live' }, 'live events'),
    h('option', { value: '' }, 'live events and uploads'),
  );
  const pause = h('button', { type: 'button', 'aria-pressed': 'false' }, 'Pause');
  const filters = h(
    'form',
    { class: 'filters card', 'aria-label': 'Filters' },
    h('label', { for: 'f-level' }, 'Level', level),
    h('label', { for: 'f-service' }, 'Service', service),
    h('label', { for: 'f-q' }, 'Text', q),
    h('label', { for: 'f-source' }, 'From', source),
    h('button', { type: 'submit' }, 'Apply'),
    pause,
  );
  const tail = h('ol', { class: 'tail', 'aria-live': 'off', 'aria-label': 'Latest events, newest first' });
  const windowBox = h('div', { class: 'card' });
  const statsBox = h('div', { class: 'card' });
  const status = h('p', { role: 'status' });
  const counter = new WindowCounter();
  let stream: EventSource | undefined;
  let paused = false;
  const stops: (() => void)[] = [];

  const query = () => {
    const p = new URLSearchParams();
    if (level.value) p.set('level', level.value);
    if (service.value.trim()) p.set('service', service.value.trim());
    if (q.value.trim()) p.set('q', q.value.trim());
    if (source.value) p.set('source', source.value);
    return p.toString();
  };
  const renderWindow = () =>
    fill(windowBox, countsTable('Per service, last 60 s (from the tail)', counter.counts(Date.now())));
  const receive = (events: LiveEvent[]) => {
    const now = Date.now();
    for (const e of events) counter.add(e, now);
    if (!paused) {
      for (const e of events) tail.prepend(eventRow(e));
      while (tail.childElementCount > TAIL_ROWS) tail.lastElementChild?.remove();
    }
    renderWindow();
  };
  const connect = () => {
    stream?.close();
    // Until the new stream opens, events stored now are not in it: say so rather than keep "Connected".
    status.textContent = 'Connecting…';
    const qs = query();
    stream = new EventSource(`/api/logs/stream${qs ? `?${qs}` : ''}`);
    const onMessage = (e: MessageEvent<string>) => {
      try {
        receive(toLiveEvents(JSON.parse(e.data)));
      } catch {
        // a message that is not JSON (a comment or keep-alive) carries no event
      }
    };
    stream.addEventListener('message', onMessage);
    for (const name of ['log', 'entry', 'event', 'entries', 'events'])
      stream.addEventListener(name, onMessage as EventListener);
    stream.addEventListener('open', () => (status.textContent = 'Connected: new events appear at the top.'));
    // The server drops entries for a client that reads too slowly, and says how many.
    stream.addEventListener('skipped', (e) => {
      const { count } = JSON.parse((e as MessageEvent<string>).data) as { count: number };
      status.textContent = `${count} events went by unread: the tail could not keep up.`;
    });
    stream.addEventListener('error', () => (status.textContent = 'Reconnecting…'));
  };
  const loadStats = () => {
    const from = new Date(Date.now() - 3600_000).toISOString();
    api<unknown>(`/api/stats?from=${encodeURIComponent(from)}`).then(
      (body) => {
        const s = toLiveStats(body);
        fill(
          statsBox,
          countsTable('Per service, last hour (server)', s.services),
          h(
            'p',
            { class: 'meta' },
            `error rate ${s.errorRate == null ? '–' : formatShare(s.errorRate)} · ${s.eventsPerSecond == null ? '–' : s.eventsPerSecond.toFixed(1)} events/s now`,
          ),
        );
      },
      () => fill(statsBox, h('p', { class: 'empty' }, 'statistics unavailable')),
    );
  };

  filters.addEventListener('submit', (e) => {
    e.preventDefault();
    tail.replaceChildren();
    connect();
  });
  pause.addEventListener('click', () => {
    paused = !paused;
    pause.textContent = paused ? 'Resume' : 'Pause';
    pause.setAttribute('aria-pressed', String(paused));
  });

  // Probe first: a server without live events answers 404, and the page explains rather than retries.
  api<unknown>(`/api/logs?limit=50&${query()}`).then(
    (body) => {
      el.append(
        filters,
        status,
        h('div', { class: 'grid' }, windowBox, statsBox),
        h('section', { class: 'card wide' }, h('h2', {}, 'Tail'), tail),
      );
      tail.replaceChildren(...toLiveEvents(body).map(eventRow));
      connect();
      loadStats();
      stops.push(whileVisible(loadStats, 10_000), whileVisible(renderWindow, 5_000));
    },
    (err: unknown) => {
      if (err instanceof ApiError && err.status === 404) {
        el.append(
          h(
            'section',
            { class: 'card empty-state', 'data-empty': 'live' },
            h('h2', {}, 'Live events are not available on this server'),
            h(
              'p',
              {},
              'This logsift has no live-event routes (',
              h('code', {}, 'POST /api/logs'),
              ', ',
              h('code', {}, '/api/logs/stream'),
              ', ',
              h('code', {}, '/api/stats'),
              '). Uploads, reports and queues work without them; this page fills in once the server offers them.',
            ),
          ),
        );
      } else if (!(err instanceof ApiError && err.status === 401)) {
        el.append(h('p', { class: 'error' }, String((err as Error).message)));
      }
    },
  );

  return {
    el,
    dispose: () => {
      stream?.close();
      for (const stop of stops) stop();
    },
  };
}
