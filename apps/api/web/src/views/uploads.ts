import { ApiError, api } from '../api.js';
import { fill, h } from '../dom.js';
import type { StageName, UploadEvent, UploadView } from '../types.js';
import { uploadCard } from './upload-card.js';
import { dropZone } from './upload-drop.js';
import type { View } from './view.js';

interface Page {
  uploads: UploadView[];
  nextCursor: string | null;
}

/** Uploads: the drop zone, then every upload newest first, kept current by one event stream. */
export function uploadsView(): View {
  const list = h('div', { class: 'upload-list', 'aria-live': 'polite' });
  const status = h('p', { class: 'status', role: 'status' });
  const more = h('button', { type: 'button', hidden: true }, 'Show older uploads');
  const state = new Map<string, { upload: UploadView; progress: Partial<Record<StageName, number>> }>();
  let cursor: string | null = null;

  const actions = {
    retry: (id: string) => {
      api<UploadView>(`/api/uploads/${encodeURIComponent(id)}/retry`, { method: 'POST' }).then(
        (u) => show(u, {}),
        (err: Error) => (status.textContent = err.message),
      );
    },
    remove: (id: string) => {
      const name = state.get(id)?.upload.filename ?? id;
      if (!window.confirm(`Delete ${name} with its entries and report?`)) return;
      api(`/api/uploads/${encodeURIComponent(id)}`, { method: 'DELETE' }).then(
        () => drop(id),
        (err: Error) => (status.textContent = err.message),
      );
    },
  };

  function show(upload: UploadView, progress: Partial<Record<StageName, number>>, append = false): void {
    state.set(upload.id, { upload, progress });
    const card = uploadCard(upload, progress, actions);
    const existing = list.querySelector(`[data-upload="${CSS.escape(upload.id)}"]`);
    if (existing) existing.replaceWith(card);
    else if (append) list.append(card);
    else list.prepend(card);
    empty.hidden = state.size > 0;
  }

  function drop(id: string): void {
    state.delete(id);
    list.querySelector(`[data-upload="${CSS.escape(id)}"]`)?.remove();
    empty.hidden = state.size > 0;
  }

  const empty = h('p', { class: 'empty', hidden: true }, 'No uploads yet: drop a log file above.');

  // Subscribe before listing, so a change between the two is not missed.
  const events = new EventSource('/api/events');
  events.addEventListener('upload', (e) => {
    const data = JSON.parse((e as MessageEvent<string>).data) as UploadEvent;
    show(data.upload, data.progress);
  });
  events.addEventListener('deleted', (e) =>
    drop((JSON.parse((e as MessageEvent<string>).data) as { id: string }).id),
  );
  events.addEventListener('error', () => {
    status.textContent =
      events.readyState === EventSource.CLOSED ? 'Live updates stopped; reload the page.' : '';
  });
  events.addEventListener('open', () => (status.textContent = ''));

  const load = () =>
    api<Page>(`/api/uploads?limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`).then(
      (page) => {
        for (const u of page.uploads) if (!state.has(u.id)) show(u, {}, true);
        cursor = page.nextCursor;
        more.hidden = cursor == null;
        empty.hidden = state.size > 0;
      },
      (err: unknown) => {
        if (!(err instanceof ApiError && err.status === 401))
          status.textContent = String((err as Error).message);
      },
    );
  more.addEventListener('click', () => void load());
  void load();

  const el = h('main', { id: 'main' });
  fill(
    el,
    dropZone((uploads) => {
      for (const u of uploads) show(u, {});
    }),
    h(
      'section',
      { 'aria-labelledby': 'uploads-title' },
      h('h2', { id: 'uploads-title' }, 'Uploads'),
      status,
      empty,
      list,
      more,
    ),
  );
  return { el, dispose: () => events.close() };
}
