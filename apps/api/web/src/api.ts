/** Calls to the logsift API from the signed-in page: the session cookie goes along, plus the CSRF header. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface SessionInfo {
  caller: string;
  admin: boolean;
  csrfToken: string;
}

let csrfToken = '';
let onSignedOut: () => void = () => {};

export function setSession(session: SessionInfo | undefined): void {
  csrfToken = session?.csrfToken ?? '';
}

/** What to do when the server says the session is gone (401): show the sign-in page. */
export function whenSignedOut(fn: () => void): void {
  onSignedOut = fn;
}

export function csrfHeader(): Record<string, string> {
  return csrfToken ? { 'x-xsrf-token': csrfToken } : {};
}

async function errorOf(res: Response): Promise<ApiError> {
  let code = 'error';
  let message = `${res.status} ${res.statusText}`;
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string } };
    code = body.error?.code ?? code;
    message = body.error?.message ?? message;
  } catch {
    // not JSON: keep the status line
  }
  return new ApiError(res.status, code, message);
}

export async function api<T>(
  path: string,
  init: { method?: string; json?: unknown; signal?: AbortSignal; quiet401?: boolean } = {},
): Promise<T> {
  const method = init.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') Object.assign(headers, csrfHeader());
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
    ...(init.signal ? { signal: init.signal } : {}),
  });
  if (!res.ok) {
    const err = await errorOf(res);
    if (res.status === 401 && !init.quiet401) onSignedOut();
    throw err;
  }
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** Sends files as multipart/form-data, reporting bytes sent (XHR: fetch has no upload progress). */
export function uploadFiles(
  files: File[],
  fields: Record<string, string>,
  onProgress: (sent: number, total: number) => void,
): Promise<unknown> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) if (value) form.append(name, value);
  for (const f of files) form.append('file', f, f.name);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/uploads');
    xhr.responseType = 'json';
    for (const [k, v] of Object.entries(csrfHeader())) xhr.setRequestHeader(k, v);
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) onProgress(e.loaded, e.total);
    });
    xhr.addEventListener('load', () => {
      const body = xhr.response as { error?: { code: string; message: string } } | null;
      if (xhr.status >= 200 && xhr.status < 300) resolve(body);
      else {
        if (xhr.status === 401) onSignedOut();
        reject(
          new ApiError(
            xhr.status,
            body?.error?.code ?? 'error',
            body?.error?.message ?? `HTTP ${xhr.status}`,
          ),
        );
      }
    });
    xhr.addEventListener('error', () =>
      reject(new ApiError(0, 'network', 'the server could not be reached')),
    );
    xhr.send(form);
  });
}
