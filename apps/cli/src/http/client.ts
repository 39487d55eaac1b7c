/** The logsift API over HTTP (undici): one method per route the CLI uses, errors as CliError. */
import { Agent, type Dispatcher, request } from 'undici';
import { CliError } from '../exit-codes.js';
import type { UploadList, UploadView } from './api-types.js';
import { buildMultipartBody, type FormField, type FormFile } from './multipart.js';
import { errorFromNetwork, errorFromResponse } from './response-error.js';

export type ReportFormat = 'json' | 'md' | 'html';

export interface UploadRequest {
  file: FormFile;
  fields: FormField[];
  /** Store a new upload even when the same bytes were uploaded before. */
  force?: boolean;
  /** Told the byte count of each piece of the request body as it is sent. */
  onBytes?: (bytes: number) => void;
}

export interface UploadAnswer {
  /** 202 accepted, 200 when the same file was uploaded before. */
  status: number;
  uploads: UploadView[];
}

type Query = Record<string, string | number | boolean | undefined>;

export class ApiClient {
  /** Our own connection pool, closed by `close()` so idle keep-alive sockets never hold the process open. */
  private readonly agent: Agent;

  constructor(
    readonly url: string,
    private readonly token: string | undefined,
  ) {
    this.agent = new Agent({ connect: { timeout: 10_000 } });
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private async send(
    method: Dispatcher.HttpMethod,
    path: string,
    options: {
      query?: Query;
      body?: Dispatcher.DispatchOptions['body'];
      headers?: Record<string, string>;
    } = {},
  ): Promise<{ status: number; text: string; contentType: string }> {
    const query = Object.fromEntries(Object.entries(options.query ?? {}).filter(([, v]) => v !== undefined));
    let response: Dispatcher.ResponseData;
    try {
      response = await request(`${this.url}${path}`, {
        method,
        dispatcher: this.agent,
        query,
        headers: {
          accept: 'application/json',
          ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
          ...options.headers,
        },
        body: options.body ?? null,
      });
    } catch (err) {
      if (err instanceof CliError) throw err;
      throw errorFromNetwork(err, this.url);
    }
    let text: string;
    try {
      text = await response.body.text();
    } catch (err) {
      throw errorFromNetwork(err, this.url);
    }
    if (response.statusCode >= 400)
      throw errorFromResponse(response.statusCode, text, this.token !== undefined);
    const contentType = String(response.headers['content-type'] ?? '');
    return { status: response.statusCode, text, contentType };
  }

  private async json<T>(method: Dispatcher.HttpMethod, path: string, query?: Query): Promise<T> {
    const { text } = await this.send(method, path, query ? { query } : {});
    return JSON.parse(text) as T;
  }

  health(): Promise<{ status: string }> {
    return this.json('GET', '/health');
  }

  listUploads(limit: number, cursor?: string): Promise<UploadList> {
    return this.json('GET', '/api/uploads', { limit, cursor });
  }

  getUpload(id: string): Promise<UploadView> {
    return this.json('GET', `/api/uploads/${encodeURIComponent(id)}`);
  }

  /** The report as the server stored it: JSON, Markdown or HTML text. */
  async report(id: string, format: ReportFormat): Promise<string> {
    const { text } = await this.send('GET', `/api/uploads/${encodeURIComponent(id)}/report`, {
      query: { format },
    });
    return text;
  }

  /** Sends one file as multipart/form-data, streamed from disk with an exact Content-Length. */
  async upload(req: UploadRequest): Promise<UploadAnswer> {
    const body = buildMultipartBody(req.fields, [req.file]);
    const { status, text } = await this.send('POST', '/api/uploads', {
      query: { force: req.force ? 'true' : undefined },
      headers: { 'content-type': body.contentType, 'content-length': String(body.contentLength) },
      body: body.stream(req.onBytes),
    });
    return { status, uploads: (JSON.parse(text) as { uploads: UploadView[] }).uploads };
  }
}
