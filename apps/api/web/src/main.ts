import './styles.css';
import { ApiError, api, type SessionInfo, setSession, whenSignedOut } from './api.js';
import { fill, h } from './dom.js';
import { liveView } from './views/live.js';
import { queuesView } from './views/queues.js';
import { reportView } from './views/report.js';
import { signInView } from './views/signin.js';
import { uploadsView } from './views/uploads.js';
import type { View } from './views/view.js';

const root = document.getElementById('app')!;
let session: SessionInfo | undefined;
let current: View | undefined;

const NAV = [
  ['#/uploads', 'Uploads'],
  ['#/live', 'Live events'],
  ['#/queues', 'Queues'],
] as const;

function header(s: SessionInfo): HTMLElement {
  const here = location.hash || '#/uploads';
  return h(
    'header',
    { class: 'top' },
    h('a', { href: '#main', class: 'skip' }, 'Skip to content'),
    h('span', { class: 'brand' }, 'logsift'),
    h(
      'nav',
      { 'aria-label': 'Main' },
      ...NAV.map(([href, text]) =>
        h('a', { href, ...(here.startsWith(href) ? { 'aria-current': 'page' } : {}) }, text),
      ),
      s.admin ? h('a', { href: '/admin/queues' }, 'Bull Board') : null,
      h('a', { href: '/docs' }, 'API docs'),
    ),
    h(
      'span',
      { class: 'who' },
      h('span', {}, s.caller),
      h('button', { type: 'button', class: 'link', onclick: () => void signOut() }, 'Sign out'),
    ),
  );
}

function pick(hash: string, s: SessionInfo): View {
  const [, page, id] = hash.split('/');
  if (page === 'uploads' && id) return reportView(decodeURIComponent(id));
  if (page === 'live') return liveView();
  if (page === 'queues') return queuesView(s.admin);
  return uploadsView();
}

function render(): void {
  current?.dispose?.();
  if (!session) {
    current = signInView(signedIn);
    fill(root, current.el);
    document.title = 'Sign in · logsift';
    return;
  }
  current = pick(location.hash || '#/uploads', session);
  fill(root, header(session), current.el);
  const label = NAV.find(([href]) => (location.hash || '#/uploads').startsWith(href))?.[1] ?? 'logsift';
  document.title = `${label} · logsift`;
}

function signedIn(s: SessionInfo): void {
  session = s;
  setSession(s);
  // Back to the admin page that sent us here, if any (same-site paths only).
  const next = new URLSearchParams(location.search).get('next');
  if (next?.startsWith('/admin/')) {
    location.assign(next);
    return;
  }
  if (location.hash === '#/signin' || location.search) history.replaceState(null, '', '/#/uploads');
  render();
}

async function signOut(): Promise<void> {
  await api('/auth/logout', { method: 'POST' }).catch(() => undefined);
  session = undefined;
  setSession(undefined);
  history.replaceState(null, '', '/#/signin');
  render();
}

whenSignedOut(() => {
  if (!session) return;
  session = undefined;
  setSession(undefined);
  render();
});

// In-page anchors (the skip link) are not pages.
window.addEventListener('hashchange', () => {
  if (location.hash === '' || location.hash.startsWith('#/')) render();
});

api<SessionInfo>('/auth/session', { quiet401: true }).then(
  (s) => {
    session = s;
    setSession(s);
    render();
  },
  (err: unknown) => {
    if (!(err instanceof ApiError && err.status === 401)) console.warn(err);
    render();
  },
);
