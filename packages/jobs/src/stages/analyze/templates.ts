import type { Store } from '@logsift/db';
import { type Template, TemplateMiner } from '../../templates/miner.js';
import type { UploadRow } from '../../uploads/repository.js';
import { ChunkTemplates } from '../parse/chunk-templates.js';
import type { ChunkSummary } from '../parse.js';

/** Examples kept per template in the analysis. */
const EXAMPLES = 3;

export interface UploadTemplate {
  id: string;
  text: string;
  /** This upload's entries of the template (cleaning's drops excluded). */
  count: number;
  examples: string[];
  /** Earliest timestamp among its entries, epoch ms, or null. */
  firstSeen: number | null;
  /** Never seen for this service before this upload. */
  isNew: boolean;
}

export interface TemplateAnalysis {
  /** The key templates are kept under: the upload's service, or '' when it has none. */
  service: string;
  /** Every template of the upload, most frequent first. */
  templates: UploadTemplate[];
}

/** The templates an upload's entries are mined into persist under its service. */
export const serviceKey = (upload: UploadRow) => upload.service ?? '';

/** The miner as the service's earlier uploads left it. */
function loadServiceMiner(store: Store, service: string): TemplateMiner {
  const rows = store.sqlite
    .prepare('SELECT id, template, count FROM templates WHERE service = ? ORDER BY first_seen_at, id')
    .all(service) as { id: string; template: string; count: number }[];
  return TemplateMiner.fromJSON({
    version: 1,
    templates: rows.map((r) => [r.id, r.template, r.count]),
    signatures: [],
  });
}

/**
 * Merges every chunk's signatures into the service's miner and resolves them once, so a message gets the
 * same template whichever chunk it was in; records which template each signature went to
 * (upload_signatures) and saves the service's templates, marking those born here as new.
 * `droppedSignatures` are signature keys of entries dropped after parsing (one per entry), subtracted.
 */
export function mineUploadTemplates(
  store: Store,
  upload: UploadRow,
  chunks: readonly Pick<ChunkSummary, 'templates'>[],
  droppedSignatures: readonly number[],
): { analysis: TemplateAnalysis; signaturesOf: (templateId: string) => number[]; persist: () => void } {
  const service = serviceKey(upload);
  const miner = loadServiceMiner(store, service);
  const chunkMiners = chunks.map((c) => {
    const m = TemplateMiner.fromJSON({
      version: 1,
      templates: [],
      signatures: c.templates.signatures,
    });
    miner.merge(m);
    return m;
  });
  const { templates: all } = miner.resolve();
  const byId = new Map<string, Template>(all.map((t) => [t.id, t]));
  const mine = new Map<string, UploadTemplate>();
  const templateOfKey = new Map<number, string>();
  chunks.forEach((c, ci) => {
    const ids = miner.relabelling(chunkMiners[ci] as TemplateMiner);
    const keys = ChunkTemplates.keys(c.templates);
    const { signatures, examples, firstSeen } = c.templates;
    ids.forEach((id, local) => {
      templateOfKey.set(keys[local] as number, id);
      const t = byId.get(id) as Template;
      let u = mine.get(id);
      if (!u) {
        u = { id, text: t.text, count: 0, examples: [], firstSeen: null, isNew: t.isNew };
        mine.set(id, u);
      }
      u.count += signatures[local]?.[1] ?? 0;
      const example = examples[local];
      if (example !== undefined && u.examples.length < EXAMPLES && !u.examples.includes(example))
        u.examples.push(example);
      const seen = firstSeen[local];
      if (seen != null && (u.firstSeen === null || seen < u.firstSeen)) u.firstSeen = seen;
    });
  });
  for (const key of droppedSignatures) {
    const u = mine.get(templateOfKey.get(key) ?? '');
    if (u) u.count--;
  }
  // Template texts may have been generalised by this upload: refresh them all.
  for (const u of mine.values()) u.text = (byId.get(u.id) as Template).text;

  const now = Date.now();
  const upsert = store.sqlite.prepare(
    `INSERT INTO templates (service, id, template, count, first_seen_at, last_seen_at, first_source)
     VALUES (@service, @id, @template, @count, @now, @now, @source)
     ON CONFLICT (service, id) DO UPDATE SET template = excluded.template, count = count + excluded.count,
       last_seen_at = excluded.last_seen_at`,
  );
  const mapSignature = store.sqlite.prepare(
    'INSERT OR REPLACE INTO upload_signatures (source, signature, template_id) VALUES (?, ?, ?)',
  );
  // Written by the caller inside the transaction that records the analysis: all of it happens once.
  const persist = () => {
    store.sqlite.prepare('DELETE FROM upload_signatures WHERE source = ?').run(upload.seq);
    for (const [key, id] of templateOfKey) mapSignature.run(upload.seq, key, id);
    for (const u of mine.values()) {
      upsert.run({ service, id: u.id, template: u.text, count: u.count, now, source: upload.id });
    }
  };
  const signaturesOf = (templateId: string) =>
    [...templateOfKey].filter(([, id]) => id === templateId).map(([key]) => key);
  return {
    analysis: {
      service,
      templates: [...mine.values()].sort((a, b) => b.count - a.count || a.id.localeCompare(b.id)),
    },
    signaturesOf,
    persist,
  };
}
