/**
 * A strict reader of the Prometheus text exposition format (0.0.4), for tests: it throws on anything a
 * Prometheus server would refuse or that breaks the format's rules (bad names, escapes or numbers, a
 * family's samples split up, a TYPE after its samples, duplicate series, histogram buckets out of order
 * or disagreeing with _count), and returns the families with their samples.
 */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  type: string;
  help?: string;
  samples: Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const SUFFIXES: Record<string, string[]> = {
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['_sum', '_count', ''],
  counter: ['', '_total'],
  gauge: [''],
  untyped: [''],
};

/** Values as Prometheus reads them (Go's ParseFloat): NaN and Inf in any case, e.g. prom-client's "Nan". */
function parseValue(text: string, where: string): number {
  const word = text.toLowerCase();
  if (word === '+inf' || word === 'inf' || word === '+infinity' || word === 'infinity')
    return Number.POSITIVE_INFINITY;
  if (word === '-inf' || word === '-infinity') return Number.NEGATIVE_INFINITY;
  if (word === 'nan') return Number.NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`${where}: bad value "${text}"`);
  return Number(text);
}

function parseLabels(text: string, where: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    const eq = text.indexOf('=', i);
    if (eq < 0) throw new Error(`${where}: label without "="`);
    const name = text.slice(i, eq).trim();
    if (!LABEL_NAME.test(name)) throw new Error(`${where}: bad label name "${name}"`);
    if (name in labels) throw new Error(`${where}: label ${name} twice`);
    if (text[eq + 1] !== '"') throw new Error(`${where}: label ${name} value not quoted`);
    let value = '';
    let j = eq + 2;
    for (; j < text.length && text[j] !== '"'; j++) {
      if (text[j] === '\\') {
        const next = text[++j];
        if (next === 'n') value += '\n';
        else if (next === '\\' || next === '"') value += next;
        else throw new Error(`${where}: bad escape \\${next} in label ${name}`);
      } else if (text[j] === '\n') throw new Error(`${where}: raw newline in label ${name}`);
      else value += text[j];
    }
    if (text[j] !== '"') throw new Error(`${where}: label ${name} value not closed`);
    labels[name] = value;
    i = j + 1;
    if (text[i] === ',') i++;
    else if (i < text.length) throw new Error(`${where}: expected "," after label ${name}`);
  }
  return labels;
}

function parseSample(line: string, where: string): Sample {
  const m = /^([^{\s]+)(?:\{(.*)\})?\s+(\S+)(?:\s+(-?\d+))?$/.exec(line);
  if (!m) throw new Error(`${where}: not a sample line: ${line}`);
  const name = m[1]!;
  if (!METRIC_NAME.test(name)) throw new Error(`${where}: bad metric name "${name}"`);
  return { name, labels: m[2] ? parseLabels(m[2], where) : {}, value: parseValue(m[3]!, where) };
}

function familyOf(sampleName: string, families: Map<string, Family>): Family | undefined {
  for (const [name, f] of families)
    for (const suffix of SUFFIXES[f.type] ?? ['']) if (sampleName === name + suffix) return f;
  return undefined;
}

function checkHistogram(f: Family): void {
  const groups = new Map<string, Sample[]>();
  for (const s of f.samples) {
    const { le: _le, ...rest } = s.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  for (const [key, samples] of groups) {
    const buckets = samples.filter((s) => s.name.endsWith('_bucket'));
    const count = samples.find((s) => s.name.endsWith('_count'));
    if (buckets.some((b) => b.labels.le === undefined)) throw new Error(`${f.name}${key}: bucket without le`);
    const les = buckets.map((b) => parseValue(b.labels.le!, f.name));
    for (let i = 1; i < buckets.length; i++) {
      if (les[i]! <= les[i - 1]!) throw new Error(`${f.name}${key}: le not increasing`);
      if (buckets[i]!.value < buckets[i - 1]!.value)
        throw new Error(`${f.name}${key}: bucket counts decrease`);
    }
    const inf = buckets.at(-1);
    if (!inf || les.at(-1) !== Number.POSITIVE_INFINITY) throw new Error(`${f.name}${key}: no +Inf bucket`);
    if (!count || count.value !== inf.value)
      throw new Error(`${f.name}${key}: _count differs from +Inf bucket`);
  }
}

export function parsePrometheusText(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const seenSeries = new Set<string>();
  const closed = new Set<string>();
  let current: Family | undefined;
  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    const where = `line ${index + 1}`;
    const line = raw.trimEnd();
    if (line === '') return;
    if (line.startsWith('#')) {
      const m = /^#\s+(HELP|TYPE)\s+(\S+)(?:\s+(.*))?$/.exec(line);
      if (!m) return; // a plain comment
      const [, kind, name, rest = ''] = m;
      if (!METRIC_NAME.test(name!)) throw new Error(`${where}: bad metric name "${name}"`);
      if (closed.has(name!)) throw new Error(`${where}: ${kind} for ${name} after its samples ended`);
      let f = families.get(name!);
      if (!f) {
        f = { name: name!, type: 'untyped', samples: [] };
        families.set(name!, f);
      }
      if (current && current !== f) closed.add(current.name);
      current = f;
      if (kind === 'TYPE') {
        if (!TYPES.has(rest)) throw new Error(`${where}: unknown type "${rest}"`);
        if (f.samples.length > 0) throw new Error(`${where}: TYPE for ${name} after its samples`);
        f.type = rest;
      } else {
        if (f.help !== undefined) throw new Error(`${where}: second HELP for ${name}`);
        f.help = rest;
      }
      return;
    }
    const sample = parseSample(line, where);
    const f = familyOf(sample.name, families);
    if (!f) throw new Error(`${where}: sample ${sample.name} has no TYPE`);
    if (closed.has(f.name) || (current && current !== f))
      throw new Error(`${where}: ${f.name} samples not together`);
    current = f;
    if (f.type === 'counter' && !(sample.value >= 0))
      throw new Error(`${where}: negative counter ${sample.name}`);
    const series = `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort())}`;
    if (seenSeries.has(series)) throw new Error(`${where}: duplicate series ${series}`);
    seenSeries.add(series);
    f.samples.push(sample);
  });
  for (const f of families.values()) if (f.type === 'histogram') checkHistogram(f);
  return families;
}

/** The value of one series (labels matched exactly), or undefined. */
export function seriesValue(
  families: Map<string, Family>,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const f of families.values())
    for (const s of f.samples)
      if (
        s.name === name &&
        Object.keys(s.labels).length === Object.keys(labels).length &&
        Object.entries(labels).every(([k, v]) => s.labels[k] === v)
      )
        return s.value;
  return undefined;
}
