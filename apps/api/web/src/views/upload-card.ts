import { h } from '../dom.js';
import { formatBytes, formatCount, formatDuration, formatTime } from '../format.js';
import { STAGE_NAMES, type StageName, type UploadView } from '../types.js';

export interface CardActions {
  retry(id: string): void;
  remove(id: string): void;
}

const STATUS_TONE: Record<UploadView['status'], string> = {
  queued: 'info',
  processing: 'info',
  completed: 'ok',
  failed: 'bad',
};

function stageRow(upload: UploadView, stage: StageName, progress: number): HTMLElement {
  const s = upload.stages[stage];
  const label = `${stage} of ${upload.filename}`;
  return h(
    'li',
    { class: `stage ${s.state}`, 'data-stage': stage, 'data-state': s.state },
    h('span', { class: 'stage-name' }, stage),
    h('progress', { max: 1, value: progress.toFixed(3), 'aria-label': label }),
    h(
      'span',
      { class: 'stage-state' },
      s.state === 'active' ? `${Math.round(progress * 100)}%` : s.state,
      s.jobs > 1 ? ` · ${s.jobs} chunks` : '',
      s.durationMs != null ? ` · ${formatDuration(s.durationMs)}` : '',
      s.attempts > 1 ? ` · attempt ${s.attempts}` : '',
    ),
  );
}

/** One upload: status, each stage's progress and time, counts, and its actions. */
export function uploadCard(
  upload: UploadView,
  progress: Partial<Record<StageName, number>>,
  actions: CardActions,
): HTMLElement {
  const done = upload.status === 'completed' || upload.status === 'failed';
  const c = upload.counts;
  return h(
    'article',
    {
      class: 'card upload',
      'data-upload': upload.id,
      'data-status': upload.status,
      'aria-labelledby': `t-${upload.id}`,
    },
    h(
      'header',
      {},
      h('h3', { id: `t-${upload.id}` }, upload.filename),
      h('span', { class: `badge ${STATUS_TONE[upload.status]}`, 'data-role': 'status' }, upload.status),
    ),
    h(
      'p',
      { class: 'meta' },
      `${formatBytes(upload.sizeBytes)} · ${upload.format ?? 'format pending'}`,
      upload.service ? ` · ${upload.service}` : '',
      ` · ${formatTime(upload.createdAt)} UTC`,
    ),
    h(
      'ul',
      { class: 'stages' },
      ...STAGE_NAMES.map((s) => stageRow(upload, s, progress[s] ?? upload.stages[s].progress)),
    ),
    c
      ? h(
          'dl',
          { class: 'counts' },
          ...(
            [
              ['lines', c.lines],
              ['records', c.records],
              ['parsed', c.parsed],
              ['unparsed', c.unparsed],
              ['dropped', c.dropped],
            ] as const
          ).flatMap(([k, v]) => [h('dt', {}, k), h('dd', { 'data-count': k }, formatCount(v))]),
          h('dt', {}, 'total'),
          h('dd', {}, formatDuration(upload.timings.totalMs)),
        )
      : null,
    upload.error ? h('p', { class: 'error' }, upload.error) : null,
    h(
      'div',
      { class: 'actions' },
      h(
        'a',
        { href: `#/uploads/${encodeURIComponent(upload.id)}`, class: 'button' },
        upload.status === 'completed' ? 'Report' : 'Details',
      ),
      upload.status === 'failed'
        ? h(
            'button',
            {
              type: 'button',
              onclick: () => actions.retry(upload.id),
              'aria-label': `Retry ${upload.filename}`,
            },
            'Retry',
          )
        : null,
      done
        ? h(
            'button',
            {
              type: 'button',
              class: 'danger',
              onclick: () => actions.remove(upload.id),
              'aria-label': `Delete ${upload.filename}`,
            },
            'Delete',
          )
        : null,
    ),
  );
}
