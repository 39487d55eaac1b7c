/** Requests kept per path. */
const PER_PATH = 3;
/** Paths followed per chunk; later paths of the chunk are not (a log with ids in its paths has millions). */
const MAX_PATHS = 1000;
/** Characters kept of each request's message. */
const MESSAGE_CHARS = 300;

/** [latency ms, message] of one request. */
export type SlowRequest = [latencyMs: number, message: string];

/**
 * The slowest requests of each path within a chunk, so an anomaly on a slow path can show its slowest
 * requests without reading the upload's records again. Mergeable: the slowest of a path over the upload
 * are among the slowest of each chunk.
 */
export class SlowestRequests {
  private readonly byPath = new Map<string, SlowRequest[]>();

  add(path: string, latencyMs: number, message: string): void {
    let kept = this.byPath.get(path);
    if (!kept) {
      if (this.byPath.size >= MAX_PATHS) return;
      kept = [];
      this.byPath.set(path, kept);
    }
    if (kept.length === PER_PATH && latencyMs <= (kept[PER_PATH - 1] as SlowRequest)[0]) return;
    const request: SlowRequest = [latencyMs, message.slice(0, MESSAGE_CHARS)];
    let at = kept.length;
    while (at > 0 && (kept[at - 1] as SlowRequest)[0] < latencyMs) at--;
    kept.splice(at, 0, request);
    if (kept.length > PER_PATH) kept.pop();
  }

  toJSON(): [string, SlowRequest[]][] {
    return [...this.byPath];
  }

  /** The slowest requests of `path` over every chunk's part, slowest first. */
  static of(parts: Iterable<readonly [string, SlowRequest[]][] | undefined>, path: string): SlowRequest[] {
    const all: SlowRequest[] = [];
    for (const part of parts) for (const [p, requests] of part ?? []) if (p === path) all.push(...requests);
    return all.sort((a, b) => b[0] - a[0]).slice(0, PER_PATH);
  }
}
