import { describe, expect, it } from 'vitest';
import { loadLoghubDataset } from '../loghub/dataset.js';
import { mineTemplates } from './mine.js';
import { type MinerState, TemplateMiner } from './miner.js';
import { templateIdOf } from './template-id.js';

const logins = ['alice', 'bob', 'carol', 'dave', 'erin'].map(
  (u, i) => `User ${u} logged in from 10.0.0.${i}`,
);

/** Mines `messages` split into `chunks` consecutive parts, merged in `order`; template text per message. */
function mineInChunks(
  messages: string[],
  chunks: number,
  order: number[],
): { texts: string[]; ids: string[] } {
  const size = Math.ceil(messages.length / chunks);
  const parts = Array.from({ length: chunks }, (_, k) => messages.slice(k * size, (k + 1) * size));
  const miners = parts.map(() => new TemplateMiner());
  const local = parts.map((part, k) => (miners[k] as TemplateMiner).addAll(part));
  const global = new TemplateMiner();
  for (const k of order) global.merge(miners[k] as TemplateMiner);
  const byId = new Map(global.resolve().templates.map((t) => [t.id, t.text]));
  const ids = parts.flatMap((_, k) => {
    const relabel = global.relabelling(miners[k] as TemplateMiner);
    return (local[k] as number[]).map((l) => relabel[l] as string);
  });
  return { ids, texts: ids.map((id) => byId.get(id) as string) };
}

describe('TemplateMiner', () => {
  it('gives messages of one event one template, variables as <*>', () => {
    const mined = mineTemplates([...logins, 'Disk /dev/sda1 is full', 'Disk /dev/sdb2 is full']);
    const texts = mined.ids.map((id) => mined.templates.get(id)?.text);
    expect(texts).toEqual([
      ...logins.map(() => 'User <*> logged in from <*>'),
      'Disk <*> is full',
      'Disk <*> is full',
    ]);
    expect(mined.templates.get(mined.ids[0] as string)?.count).toBe(5);
    expect(mined.ids[0]).toBe(templateIdOf('User <*> logged in from <*>'));
  });

  it('keeps events apart that differ in a constant word', () => {
    const mined = mineTemplates(['Job 1 moved from NEW to RUNNING', 'Job 2 moved from RUNNING to SUCCEEDED']);
    expect(new Set(mined.ids).size).toBe(2);
  });

  it.each(['OpenSSH', 'Linux', 'HDFS'] as const)(
    'gives every %s message the same template whether mined whole or in 4 chunks merged in any order',
    (system) => {
      const messages = loadLoghubDataset(system).rows.map((r) => r.content);
      const whole = mineInChunks(messages, 1, [0]);
      const forward = mineInChunks(messages, 4, [0, 1, 2, 3]);
      const backward = mineInChunks(messages, 4, [3, 1, 0, 2]);
      expect(forward.texts).toEqual(whole.texts);
      expect(forward.ids).toEqual(whole.ids);
      expect(backward.ids).toEqual(whole.ids);
      expect(new Set(whole.ids).size).toBeGreaterThan(10);
    },
  );

  it('relabels a chunk with one template id per local id', () => {
    const chunk = new TemplateMiner();
    const local = chunk.addAll([
      'User alice logged in from 10.0.0.1',
      'Disk /dev/sda1 is full',
      'User alice logged in from 10.0.0.2',
    ]);
    expect(local).toEqual([0, 1, 0]);
    const global = new TemplateMiner().merge(chunk);
    global.resolve();
    expect(global.relabelling(chunk)).toEqual([
      templateIdOf('User alice logged in from <*>'),
      templateIdOf('Disk <*> is full'),
    ]);
  });

  it('round-trips its state through JSON, local ids of an unresolved chunk included', () => {
    const chunk = new TemplateMiner();
    chunk.addAll(['b 1', 'a 2', 'b 3']);
    const copy = TemplateMiner.fromJSON(JSON.parse(JSON.stringify(chunk.toJSON())) as MinerState);
    expect(copy.toJSON()).toEqual({
      version: 1,
      templates: [],
      signatures: [
        ['b <*>', 2],
        ['a <*>', 1],
      ],
    });

    const miner = new TemplateMiner();
    miner.addAll(logins);
    miner.resolve();
    const state = JSON.parse(JSON.stringify(miner.toJSON())) as MinerState;
    expect(state).toEqual({
      version: 1,
      templates: [[templateIdOf('User <*> logged in from <*>'), 'User <*> logged in from <*>', 5]],
      signatures: [],
    });
    expect(TemplateMiner.fromJSON(state).toJSON()).toEqual(state);
  });

  it('after a reload, reports a new message as new and an old one as not, keeping the old id', () => {
    const first = new TemplateMiner();
    const [oldLocal] = first.addAll(logins);
    first.resolve();
    const oldId = first.templateOf(oldLocal as number).id;

    const next = TemplateMiner.fromJSON(first.toJSON());
    const [again, fresh] = next.addAll(['User frank logged in from 10.0.0.9', 'Disk /dev/sda1 is full']);
    const { newTemplates } = next.resolve();
    expect(next.templateOf(again as number)).toEqual({
      id: oldId,
      text: 'User <*> logged in from <*>',
      count: 6,
      isNew: false,
    });
    expect(next.templateOf(fresh as number)).toEqual({
      id: templateIdOf('Disk <*> is full'),
      text: 'Disk <*> is full',
      count: 1,
      isNew: true,
    });
    expect(newTemplates.map((t) => t.text)).toEqual(['Disk <*> is full']);
  });

  it('keeps a template id when a later upload generalises its text', () => {
    const first = new TemplateMiner();
    first.addAll(['User alice logged in from 10.0.0.1', 'User alice logged in from 10.0.0.2']);
    const [born] = first.resolve().templates;
    expect(born?.text).toBe('User alice logged in from <*>');

    const next = TemplateMiner.fromJSON(first.toJSON());
    const local = next.addAll(logins.slice(1));
    const { templates, newTemplates } = next.resolve();
    expect(newTemplates).toEqual([]);
    expect(templates).toEqual([
      { id: born?.id, text: 'User <*> logged in from <*>', count: 6, isNew: false },
    ]);
    expect(next.templateOf(local[0] as number).id).toBe(born?.id);
  });

  it('refuses to merge a miner loaded from another state, or one already resolved', () => {
    const a = new TemplateMiner();
    a.add('x 1');
    expect(() => new TemplateMiner().merge(a)).not.toThrow();
    a.resolve();
    expect(() => new TemplateMiner().merge(a)).toThrow(/was resolved/);
    const other = TemplateMiner.fromJSON(a.toJSON());
    expect(() => new TemplateMiner().merge(other)).toThrow(/unknown here/);
  });
});
