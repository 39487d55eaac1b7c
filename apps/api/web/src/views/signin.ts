import { ApiError, api, type SessionInfo } from '../api.js';
import { h } from '../dom.js';
import type { View } from './view.js';

/** Sign in with a token; the server answers with cookies and the CSRF token. */
export function signInView(onSignedIn: (session: SessionInfo) => void): View {
  const input = h('input', {
    id: 'token',
    name: 'token',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
    spellcheck: 'false',
  });
  const message = h('p', { class: 'error', role: 'alert', 'aria-live': 'assertive' });
  const button = h('button', { type: 'submit' }, 'Sign in');
  const form = h(
    'form',
    { class: 'signin card', 'aria-labelledby': 'signin-title' },
    h('h1', { id: 'signin-title' }, 'Sign in to logsift'),
    h(
      'p',
      {},
      'Use one of the tokens in LOGSIFT_TOKENS. ',
      h('code', {}, 'npm start'),
      ' prints the one it created.',
    ),
    h('label', { for: 'token' }, 'Access token'),
    input,
    button,
    message,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    button.disabled = true;
    message.textContent = '';
    api<SessionInfo>('/auth/session', { method: 'POST', json: { token: input.value.trim() }, quiet401: true })
      .then(onSignedIn, (err: unknown) => {
        message.textContent =
          err instanceof ApiError && err.status === 401
            ? 'That token is not known here.'
            : String((err as Error).message);
        input.select();
      })
      .finally(() => {
        button.disabled = false;
      });
  });
  queueMicrotask(() => input.focus());
  return { el: h('main', { id: 'main', class: 'narrow' }, form) };
}
