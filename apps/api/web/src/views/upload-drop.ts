import { ApiError, api, uploadFiles } from '../api.js';
import { h } from '../dom.js';
import { formatBytes } from '../format.js';
import type { UploadView } from '../types.js';

/**
 * Drop files here or pick them; each batch is sent with its byte progress, then handed to `onUploaded`
 * (its stages' progress comes over the event stream from then on).
 */
export function dropZone(onUploaded: (uploads: UploadView[]) => void): HTMLElement {
  const input = h('input', { id: 'files', type: 'file', multiple: true, class: 'visually-hidden' });
  const service = h('input', {
    id: 'service',
    name: 'service',
    type: 'text',
    placeholder: 'optional',
    autocomplete: 'off',
  });
  const format = h('input', {
    id: 'format',
    name: 'format',
    type: 'text',
    placeholder: 'detect',
    autocomplete: 'off',
    list: 'format-names',
  });
  // Suggestions: the built-in formats and the saved ones (any Loghub-style pattern is accepted as well).
  const formatNames = h('datalist', { id: 'format-names' });
  api<{ builtin: { name: string }[]; saved: { name: string }[] }>('/api/formats').then(
    ({ builtin, saved }) =>
      formatNames.append(...[...builtin, ...saved].map((f) => h('option', { value: f.name }))),
    () => undefined, // no suggestions; the field still takes any name
  );
  const sending = h('ul', { class: 'sending', 'aria-live': 'polite' });
  const zone = h(
    'label',
    { for: 'files', class: 'drop', id: 'drop' },
    h('strong', {}, 'Drop log files here'),
    h('span', {}, ' or choose files (plain or .gz)'),
  );

  const send = (files: File[]) => {
    if (files.length === 0) return;
    const total = files.reduce((n, f) => n + f.size, 0);
    const bar = h('progress', {
      max: 1,
      value: 0,
      'aria-label': `Sending ${files.map((f) => f.name).join(', ')}`,
    });
    const text = h(
      'span',
      {},
      `Sending ${files.length === 1 ? files[0]!.name : `${files.length} files`} (${formatBytes(total)})`,
    );
    const item = h('li', {}, text, bar);
    sending.prepend(item);
    uploadFiles(files, { service: service.value.trim(), format: format.value.trim() }, (sent, all) => {
      bar.value = sent / all;
    }).then(
      (body) => {
        item.remove();
        onUploaded((body as { uploads: UploadView[] }).uploads);
      },
      (err: unknown) => {
        item.classList.add('error');
        text.textContent = `Not uploaded: ${err instanceof ApiError ? err.message : String(err)}`;
        setTimeout(() => item.remove(), 15_000);
      },
    );
  };

  input.addEventListener('change', () => {
    send([...(input.files ?? [])]);
    input.value = '';
  });
  for (const type of ['dragenter', 'dragover'] as const) {
    zone.addEventListener(type, (e) => {
      e.preventDefault();
      zone.classList.add('over');
    });
  }
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    send([...(e.dataTransfer?.files ?? [])]);
  });

  return h(
    'section',
    { class: 'card upload-form', 'aria-labelledby': 'upload-title' },
    h('h2', { id: 'upload-title' }, 'Upload logs'),
    input,
    zone,
    h(
      'div',
      { class: 'fields' },
      h('label', { for: 'service' }, 'Service', service),
      h('label', { for: 'format' }, 'Format', format),
    ),
    formatNames,
    sending,
  );
}
