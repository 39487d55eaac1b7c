import type { Store } from '@logsift/db';
import { TemplateMiner } from '../templates/index.js';

/**
 * Template ids for live events, from the same miner as uploads (templates/). This file is the one place
 * live ingest touches the miner.
 *
 * One miner per service lives as long as the worker process, seeded from the `templates` table the first
 * time the service is seen, so a message keeps its template across batches and restarts. Each batch is
 * added and resolved at once; a template born in a batch is stored with it. Two worker processes mine
 * independently: a template id is derived from its text (templates/template-id.ts), so both name a
 * template the same way when they cluster it the same way, which they do once both have loaded it.
 */

/** Distinct masked messages a service's miner holds before it is rebuilt from the stored templates. */
const MAX_SIGNATURES = 200_000;

/** What a batch did to a template: for the `templates` table. */
export interface TemplateUse {
  service: string;
  id: string;
  text: string;
  count: number;
}

export class LiveTemplater {
  private readonly miners = new Map<string, TemplateMiner>();

  constructor(private readonly store: Store) {}

  /** The template id of each event (in order), and the templates used with their counts in this batch. */
  assign(events: readonly { service: string; message: string }[]): { ids: string[]; uses: TemplateUse[] } {
    const ids = new Array<string>(events.length);
    const byService = new Map<string, number[]>();
    events.forEach((e, i) => {
      const list = byService.get(e.service);
      if (list) list.push(i);
      else byService.set(e.service, [i]);
    });
    const uses: TemplateUse[] = [];
    for (const [service, positions] of byService) {
      const miner = this.minerFor(service);
      const locals = positions.map((i) => miner.add((events[i] as { message: string }).message));
      miner.resolve();
      const counts = new Map<string, TemplateUse>();
      locals.forEach((local, k) => {
        const t = miner.templateOf(local);
        ids[positions[k] as number] = t.id;
        const use = counts.get(t.id);
        if (use) use.count++;
        else counts.set(t.id, { service, id: t.id, text: t.text, count: 1 });
      });
      uses.push(...counts.values());
    }
    return { ids, uses };
  }

  private minerFor(service: string): TemplateMiner {
    let miner = this.miners.get(service);
    if (!miner || miner.size > MAX_SIGNATURES) {
      const rows = this.store.sqlite
        .prepare('SELECT id, template, count FROM templates WHERE service = ? ORDER BY first_seen_at, id')
        .all(service) as { id: string; template: string; count: number }[];
      miner = TemplateMiner.fromJSON({
        version: 1,
        templates: rows.map((r) => [r.id, r.template, r.count]),
        signatures: [],
      });
      this.miners.set(service, miner);
    }
    return miner;
  }
}
