import { api } from '../api.js';
import { fill, h } from '../dom.js';
import { formatCount } from '../format.js';
import type { QueueView } from '../types.js';
import { type View, whileVisible } from './view.js';

const COLUMNS = ['waiting', 'active', 'delayed', 'waiting-children', 'failed', 'completed'] as const;
/** Queue counts are cheap to read; every 5 s while the tab is visible, nothing while it is hidden. */
const REFRESH_MS = 5_000;

function workersText(q: QueueView): string {
  if (q.workers.length === 0) return 'none';
  return `${q.workers.length} (${q.workers.map((w) => w.addr).join(', ')})`;
}

/** Jobs per state in each stage queue, the workers connected, and the way to Bull Board. */
export function queuesView(admin: boolean): View {
  const table = h('div', { class: 'card wide table-scroll' });
  const updated = h('p', { class: 'meta', role: 'status' });
  const load = () =>
    api<{ queues: QueueView[]; board: string }>('/api/queues').then(
      ({ queues }) => {
        fill(
          table,
          h(
            'table',
            { class: 'queues' },
            h('caption', {}, 'Jobs per queue and state'),
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                h('th', { scope: 'col' }, 'queue'),
                ...COLUMNS.map((c) => h('th', { scope: 'col' }, c)),
                h('th', { scope: 'col' }, 'workers'),
              ),
            ),
            h(
              'tbody',
              {},
              ...queues.map((q) =>
                h(
                  'tr',
                  { 'data-queue': q.name },
                  h(
                    'th',
                    { scope: 'row' },
                    q.name,
                    q.paused ? h('span', { class: 'badge warn' }, 'paused') : null,
                  ),
                  ...COLUMNS.map((c) =>
                    h(
                      'td',
                      { 'data-state': c, class: c === 'failed' && (q.counts[c] ?? 0) > 0 ? 'bad' : '' },
                      formatCount(q.counts[c] ?? 0),
                    ),
                  ),
                  h('td', { 'data-workers': q.workers.length }, workersText(q)),
                ),
              ),
            ),
          ),
        );
        updated.textContent = `Updated ${new Date().toLocaleTimeString()}`;
      },
      (err: Error) => (updated.textContent = err.message),
    );
  void load();
  const stop = whileVisible(() => void load(), REFRESH_MS);
  const el = h(
    'main',
    { id: 'main' },
    h('h1', {}, 'Queues'),
    h(
      'p',
      {},
      'Each upload runs as a flow: parse (one job per chunk) → clean → analyze → report. ',
      admin
        ? h('a', { href: '/admin/queues', class: 'button' }, 'Open Bull Board')
        : 'Bull Board needs an admin token.',
    ),
    table,
    updated,
  );
  return { el, dispose: stop };
}
