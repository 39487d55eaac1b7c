import { ApiError, api } from '../api.js';
import { fill, h } from '../dom.js';
import type { Report, UploadEvent, UploadView } from '../types.js';
import {
  anomaliesList,
  latencyChart,
  levelsChart,
  statusChart,
  summaryTiles,
  templatesTable,
  timelineSection,
  timingsChart,
} from './report-sections.js';
import { uploadCard } from './upload-card.js';
import type { View } from './view.js';

/**
 * One upload's report, drawn from GET /api/uploads/:id/report. While the upload is still running its card
 * is shown, kept current by the upload's own event stream, and the report appears when it completes.
 */
export function reportView(id: string): View {
  const el = h('main', { id: 'main', class: 'report' }, h('p', { role: 'status' }, 'Loading…'));
  const base = `/api/uploads/${encodeURIComponent(id)}`;
  let events: EventSource | undefined;
  const actions = {
    retry: () => void api<UploadView>(`${base}/retry`, { method: 'POST' }).then(follow),
    remove: () => {
      if (window.confirm('Delete this upload with its entries and report?'))
        void api(base, { method: 'DELETE' }).then(() => (location.hash = '#/uploads'));
    },
  };

  const showReport = (upload: UploadView, report: Report) => {
    events?.close();
    fill(
      el,
      h(
        'header',
        { class: 'report-head' },
        h('p', {}, h('a', { href: '#/uploads' }, '← Uploads')),
        h('h1', {}, report.upload.filename),
        h(
          'p',
          { class: 'meta' },
          `${report.upload.format ?? 'unknown format'} · ${upload.id} · `,
          h('a', { href: upload.links.reportMarkdown, 'data-link': 'markdown' }, 'Markdown report'),
          ' · ',
          h(
            'a',
            { href: upload.links.reportHtml, 'data-link': 'html', target: '_blank', rel: 'noopener' },
            'HTML report',
          ),
        ),
      ),
      summaryTiles(report),
      h('section', { class: 'card wide' }, timelineSection(report)),
      h(
        'div',
        { class: 'grid' },
        h('section', { class: 'card' }, levelsChart(report)),
        h('section', { class: 'card' }, statusChart(report)),
      ),
      h('section', { class: 'card wide' }, templatesTable(report)),
      anomaliesList(report),
      h(
        'div',
        { class: 'grid' },
        h('section', { class: 'card' }, latencyChart(report)),
        h('section', { class: 'card' }, timingsChart(report)),
      ),
    );
  };

  const showProgress = (upload: UploadView, progress: UploadEvent['progress'] | Record<string, never>) => {
    fill(
      el,
      h('p', {}, h('a', { href: '#/uploads' }, '← Uploads')),
      h(
        'p',
        { role: 'status' },
        upload.status === 'failed'
          ? 'This upload failed.'
          : 'The report appears here when the upload completes.',
      ),
      uploadCard(upload, progress, actions),
    );
  };

  const loadReport = (upload: UploadView) =>
    api<Report>(`${base}/report`).then(
      (report) => showReport(upload, report),
      (err: unknown) => {
        if (err instanceof ApiError && err.code === 'report_not_ready') return follow(upload);
        fill(el, h('p', { class: 'error' }, String((err as Error).message)));
      },
    );

  function follow(upload: UploadView): void {
    showProgress(upload, {});
    events?.close();
    events = new EventSource(`${base}/events`);
    events.addEventListener('upload', (e) => {
      const data = JSON.parse((e as MessageEvent<string>).data) as UploadEvent;
      if (data.upload.status === 'completed') void loadReport(data.upload);
      else showProgress(data.upload, data.progress);
    });
    events.addEventListener('deleted', () => {
      events?.close();
      fill(el, h('p', {}, 'This upload was deleted. ', h('a', { href: '#/uploads' }, 'Back to uploads')));
    });
  }

  api<UploadView>(base).then(
    (upload) => (upload.status === 'completed' ? loadReport(upload) : follow(upload)),
    (err: unknown) => fill(el, h('p', { class: 'error' }, String((err as Error).message))),
  );
  return { el, dispose: () => events?.close() };
}
