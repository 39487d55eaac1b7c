/**
 * The template miner: messages in, a template per message out, chunk-parallel and persistent.
 *
 * `add(message)` masks the message (mask.ts) and returns a local id: the index of its signature (masked
 * form) in this miner. Nothing is clustered yet, so adding costs one char scan and a map look-up.
 * `resolve()` clusters the signatures not yet resolved (cluster.ts) around the known templates.
 *
 * Chunk-parallel use: each chunk is mined by its own miner (built from the same stored state, or empty);
 * the miners are merged into one, which is resolved once; `relabelling(chunk)` then maps the chunk's local
 * ids to template ids. The clustering depends only on the multiset of signatures, so every message gets
 * exactly the template it would get if the whole file were mined by one miner, whatever the chunking and
 * the merge order.
 *
 * Persistence: `toJSON()` keeps the templates (id, text, count) and any unresolved signatures;
 * `fromJSON()` restores them. Known templates keep their ids; a later upload may generalise their text.
 * A template is new when it was born after the miner was built or loaded.
 */
import {
  type Cluster,
  type ClusterOptions,
  clusterSignatures,
  DEFAULT_CLUSTER_OPTIONS,
  liveCluster,
} from './cluster.js';
import { decodeSignature, maskInto, signatureCapacity } from './mask.js';
import { SignatureTable } from './signature-table.js';
import { templateIdOf } from './template-id.js';

export interface Template {
  /** 16 hex digits, derived from the text the template had when it was born (template-id.ts). */
  id: string;
  /** Tokens joined by one space, variables written `<*>`. */
  text: string;
  /** Messages attributed to it, over every upload this state has seen. */
  count: number;
  /** Born after this miner was built or loaded. */
  isNew: boolean;
}

/** A miner's stored state: small, JSON-safe. */
export interface MinerState {
  version: 1;
  /** [id, text, count] per template, in birth order. */
  templates: [string, string, number][];
  /** [signature, count] per signature not yet resolved, in local-id order. */
  signatures: [string, number][];
}

export interface ResolveResult {
  /** Every template, in birth order. */
  templates: Template[];
  /** The templates born in this resolve. */
  newTemplates: Template[];
}

/**
 * Messages remembered verbatim, so a repeat skips masking. Whether that pays is judged on windows of
 * `CACHE_WINDOW` look-ups: below a hit rate of `CACHE_MIN_HIT_RATE` (where a miss's look-up and insert
 * cost more than the hits save) the cache is paused for `CACHE_PAUSE` messages, then probed again.
 * It holds at most `CACHE_LIMIT` messages and is emptied when full.
 */
const CACHE_WINDOW = 4096;
const CACHE_MIN_HIT_RATE = 0.5;
const CACHE_PAUSE = 1 << 16;
const CACHE_LIMIT = 1 << 16;

export class TemplateMiner {
  readonly options: ClusterOptions;
  private readonly templates: Template[] = [];
  private readonly templateIndex = new Map<string, number>();
  /** Local id -> signature; its message count not yet resolved; its template index (-1: unresolved). */
  private readonly table = new SignatureTable();
  private readonly pendingCounts: number[] = [];
  private readonly templateOfSignature: number[] = [];
  private buffer = new Uint16Array(1024);
  private readonly cache = new Map<string, number>();
  private cacheLookups = 0;
  private cacheHits = 0;
  /** Messages still to add before the paused cache is probed again; 0 while it is on. */
  private cachePaused = 0;

  constructor(options: Partial<ClusterOptions> = {}) {
    this.options = { ...DEFAULT_CLUSTER_OPTIONS, ...options };
  }

  /** Adds one message; returns its local id (stable for this miner's life). */
  add(message: string): number {
    if (this.cachePaused > 0) {
      this.cachePaused--;
      return this.addMasked(message);
    }
    const hit = this.cache.get(message);
    if (hit !== undefined) this.cacheHits++;
    if (++this.cacheLookups === CACHE_WINDOW) {
      if (this.cacheHits < CACHE_WINDOW * CACHE_MIN_HIT_RATE) this.cachePaused = CACHE_PAUSE;
      this.cacheLookups = 0;
      this.cacheHits = 0;
    }
    if (hit !== undefined) {
      this.pendingCounts[hit] = (this.pendingCounts[hit] as number) + 1;
      return hit;
    }
    const id = this.addMasked(message);
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(message, id);
    return id;
  }

  /** Local ids of `messages`, in order. */
  addAll(messages: Iterable<string>): number[] {
    const ids: number[] = [];
    for (const m of messages) ids.push(this.add(m));
    return ids;
  }

  /** The signature (masked message) of a local id. */
  signatureOf(id: number): string {
    const signature = this.table.signatures[id];
    if (signature === undefined) throw new RangeError(`no signature with local id ${id}`);
    return signature;
  }

  /** Distinct signatures seen (local ids run from 0 to this, exclusive). */
  get size(): number {
    return this.table.size;
  }

  /**
   * Adds the signature counts of `other`, a chunk miner built from the same stored state as this one (or
   * empty) and not resolved itself: resolving the merged miner is what makes chunks agree.
   */
  merge(other: TemplateMiner): this {
    if (other.templateOfSignature.some((t) => t >= 0)) {
      throw new Error('merge: the other miner was resolved; merge chunk miners before resolving');
    }
    for (const t of other.templates) {
      if (!this.templateIndex.has(t.id)) {
        throw new Error(
          `merge: template ${t.id} of the other miner is unknown here (load both from one state)`,
        );
      }
    }
    other.table.signatures.forEach((signature, i) => {
      const n = other.pendingCounts[i] as number;
      if (n > 0) this.addSignature(signature, n);
    });
    return this;
  }

  /**
   * Clusters the unresolved signatures; afterwards every local id has a template. A signature resolved
   * earlier keeps its template and only adds to its count.
   */
  resolve(): ResolveResult {
    const pending: number[] = [];
    this.pendingCounts.forEach((n, i) => {
      if (n === 0) return;
      const known = this.templateOfSignature[i] as number;
      if (known < 0) pending.push(i);
      else {
        (this.templates[known] as Template).count += n;
        this.pendingCounts[i] = 0;
      }
    });
    const { clusters, assignment } = clusterSignatures(
      this.templates.map((t) => (t.text === '' ? [] : t.text.split(' '))),
      pending.map((i) => ({
        signature: this.table.signatures[i] as string,
        count: this.pendingCounts[i] as number,
      })),
      this.options,
    );
    // Seeds keep their index and id; the text may have been generalised.
    const templateOfCluster = new Map<Cluster, number>();
    clusters.forEach((c, i) => {
      if (c.seed < 0) return;
      const t = this.templates[i] as Template;
      t.text = c.tokens.join(' ');
      templateOfCluster.set(c, i);
    });
    const newTemplates: Template[] = [];
    for (const c of clusters) {
      if (c.seed >= 0 || c.mergedInto) continue;
      const text = c.tokens.join(' ');
      const id = templateIdOf(text);
      let index = this.templateIndex.get(id);
      if (index === undefined) {
        index = this.templates.length;
        const t: Template = { id, text, count: 0, isNew: true };
        this.templates.push(t);
        this.templateIndex.set(id, index);
        newTemplates.push(t);
      }
      templateOfCluster.set(c, index);
    }
    pending.forEach((sig, k) => {
      const index = templateOfCluster.get(liveCluster(assignment[k] as Cluster)) as number;
      this.templateOfSignature[sig] = index;
      (this.templates[index] as Template).count += this.pendingCounts[sig] as number;
      this.pendingCounts[sig] = 0;
    });
    return { templates: this.templates.slice(), newTemplates };
  }

  /** The template of a local id; `resolve()` first. */
  templateOf(localId: number): Template {
    const index = this.templateOfSignature[localId];
    if (index === undefined || index < 0) throw new Error(`templateOf: local id ${localId} is not resolved`);
    return this.templates[index] as Template;
  }

  /** Template ids of a chunk's local ids (index = the chunk's local id), once its signatures are resolved here. */
  relabelling(chunk: TemplateMiner): string[] {
    return chunk.table.signatures.map((s) => {
      const local = this.table.findString(s);
      if (local < 0) throw new Error(`relabelling: signature "${s}" was never merged here`);
      return this.templateOf(local).id;
    });
  }

  /** Every template, in birth order. */
  allTemplates(): Template[] {
    return this.templates.slice();
  }

  /**
   * The templates and the unresolved signatures. A chunk miner that never resolved keeps its local ids
   * through `fromJSON`; a resolved miner's state holds templates only (its local ids end with it).
   */
  toJSON(): MinerState {
    const signatures: [string, number][] = [];
    this.table.signatures.forEach((signature, i) => {
      const n = this.pendingCounts[i] as number;
      if (n > 0) signatures.push([signature, n]);
    });
    return { version: 1, templates: this.templates.map((t) => [t.id, t.text, t.count]), signatures };
  }

  /** A miner continuing from a stored state; its templates are not new. */
  static fromJSON(state: MinerState, options: Partial<ClusterOptions> = {}): TemplateMiner {
    if (state.version !== 1)
      throw new Error(`TemplateMiner.fromJSON: unknown state version ${String(state.version)}`);
    const miner = new TemplateMiner(options);
    for (const [id, text, count] of state.templates) {
      miner.templateIndex.set(id, miner.templates.length);
      miner.templates.push({ id, text, count, isNew: false });
    }
    for (const [signature, count] of state.signatures) miner.addSignature(signature, count);
    return miner;
  }

  /** Masks a message into the buffer and counts its signature. */
  private addMasked(message: string): number {
    const need = signatureCapacity(message.length);
    if (this.buffer.length < need) this.buffer = new Uint16Array(need);
    const buffer = this.buffer;
    const length = maskInto(message, buffer);
    const hash = SignatureTable.hash(buffer, length);
    let id = this.table.find(buffer, length, hash);
    if (id < 0) id = this.newSignature(decodeSignature(buffer, length), hash);
    this.pendingCounts[id] = (this.pendingCounts[id] as number) + 1;
    return id;
  }

  private addSignature(signature: string, n: number): number {
    let id = this.table.findString(signature);
    if (id < 0) id = this.newSignature(signature, SignatureTable.hashString(signature));
    this.pendingCounts[id] = (this.pendingCounts[id] as number) + n;
    return id;
  }

  private newSignature(signature: string, hash: number): number {
    this.pendingCounts.push(0);
    this.templateOfSignature.push(-1);
    return this.table.insert(signature, hash);
  }
}
