import type { ClusterOptions } from './cluster.js';
import { type Template, TemplateMiner } from './miner.js';

export interface MinedTemplates {
  /** The template id of each message, in input order. */
  ids: string[];
  /** Every template found, by id. */
  templates: Map<string, Template>;
}

/** Mines a batch of messages in one go: one miner, one resolve. */
export function mineTemplates(
  messages: Iterable<string>,
  options: Partial<ClusterOptions> = {},
): MinedTemplates {
  const miner = new TemplateMiner(options);
  const local = miner.addAll(messages);
  const { templates } = miner.resolve();
  return {
    ids: local.map((i) => miner.templateOf(i).id),
    templates: new Map(templates.map((t) => [t.id, t])),
  };
}
