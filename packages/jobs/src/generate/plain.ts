/** Plain application log lines: `2024-01-15T10:00:00.123Z INFO [api] message`. */
import type { ApplicationModel, AppRecord } from './application.js';
import type { LineMaker } from './line-maker.js';
import { createIsoFormatter } from './timestamps.js';

export function createPlainLines(app: ApplicationModel): LineMaker {
  const iso = createIsoFormatter();
  const line = (epochMs: number, r: AppRecord) => `${iso(epochMs)} ${r.level} [${r.service}] ${r.message}`;
  return {
    normal: (epochMs) => line(epochMs, app.normal()),
    error: (epochMs, service) => line(epochMs, app.error(service)),
    novel: (epochMs, template) => line(epochMs, app.from(template)),
  };
}
