/**
 * A strict parser of the Prometheus text exposition format 0.0.4, for tests: it throws on
 * anything off the spec that a lenient parser (or Prometheus, on a bad day) would accept
 * or guess at. parse-prometheus-text-format on npm takes any character in a metric name
 * and checks neither ordering nor duplicates, so it cannot judge our output.
 * Rules checked: the line grammar (HELP, TYPE, comments, samples, blank lines), a newline
 * at the end, valid UTF-8, metric and label names, label value escapes (\\ \" \n only),
 * HELP escapes (\\ \n only), values as Go's ParseFloat reads them without its extensions
 * (decimal and exponent, NaN, +Inf, -Inf), integer timestamps; at most one HELP and one
 * TYPE per family, TYPE before the family's first sample, each family's lines in one group,
 * sample names that fit the family's type (_sum, _count, _bucket with le for histograms,
 * quantile for summaries), no label repeated in a sample, no series twice.
 */

export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
  timestamp?: number;
}

export interface ParsedFamily {
  name: string;
  type: 'counter' | 'gauge' | 'summary' | 'histogram' | 'untyped';
  help?: string;
  samples: ParsedSample[];
}

export class ExpositionError extends Error {
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'summary', 'histogram', 'untyped']);
const FLOAT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const TIMESTAMP = /^-?\d{1,19}$/;

/** Parses an exposition; `Uint8Array` input is checked to be valid UTF-8 first. Families keyed by name, in order. */
export function parsePrometheusText(input: string | Uint8Array): Map<string, ParsedFamily> {
  let text: string;
  if (typeof input === 'string') text = input;
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch {
      throw new ExpositionError(0, 'not valid UTF-8');
    }
  }
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text)) throw new ExpositionError(0, 'lone surrogate (not valid UTF-8)');
  if (text !== '' && !text.endsWith('\n')) throw new ExpositionError(0, 'the last line does not end with a newline');
  const families = new Map<string, ParsedFamily>();
  const closed = new Set<string>();
  const series = new Set<string>();
  let current: string | undefined;
  const lines = text.split('\n');
  lines.pop();
  const open = (name: string, n: number): ParsedFamily => {
    if (current !== name) {
      if (closed.has(name)) throw new ExpositionError(n, `lines of ${name} are not in one group`);
      if (current !== undefined) closed.add(current);
      current = name;
    }
    let family = families.get(name);
    if (!family) {
      family = { name, type: 'untyped', samples: [] };
      families.set(name, family);
    }
    return family;
  };
  const typed = new Set<string>();
  lines.forEach((line, i) => {
    const n = i + 1;
    if (line.trim() === '') return;
    if (line.startsWith('#')) {
      const m = /^#[ \t]+(HELP|TYPE)[ \t]+(\S+)(?:[ \t]+(.*))?$/.exec(line);
      if (!m) return; // a comment
      const [, keyword, name, rest = ''] = m as unknown as [string, 'HELP' | 'TYPE', string, string | undefined];
      if (!METRIC_NAME.test(name)) throw new ExpositionError(n, `invalid metric name ${JSON.stringify(name)}`);
      const family = open(name, n);
      if (keyword === 'HELP') {
        if (family.help !== undefined) throw new ExpositionError(n, `second HELP for ${name}`);
        family.help = unescapeHelp(rest, n);
      } else {
        if (typed.has(name)) throw new ExpositionError(n, `second TYPE for ${name}`);
        if (family.samples.length) throw new ExpositionError(n, `TYPE for ${name} after its samples`);
        if (!TYPES.has(rest.trim())) throw new ExpositionError(n, `unknown type ${JSON.stringify(rest)}`);
        family.type = rest.trim() as ParsedFamily['type'];
        typed.add(name);
      }
      return;
    }
    const sample = parseSampleLine(line, n);
    const familyName = familyOf(sample.name, families);
    const family = open(familyName, n);
    checkSampleName(family, sample, n);
    const key = `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort(([a], [b]) => (a < b ? -1 : 1)))}`;
    if (series.has(key)) throw new ExpositionError(n, `series ${sample.name}${JSON.stringify(sample.labels)} appears twice`);
    series.add(key);
    family.samples.push(sample);
  });
  return families;
}

/** The family a sample belongs to: a _sum/_count/_bucket of a declared summary or histogram, else its own name. */
function familyOf(name: string, families: Map<string, ParsedFamily>): string {
  for (const suffix of ['_sum', '_count', '_bucket']) {
    if (!name.endsWith(suffix)) continue;
    const base = families.get(name.slice(0, -suffix.length));
    if (base && (base.type === 'histogram' || (base.type === 'summary' && suffix !== '_bucket'))) return base.name;
  }
  return name;
}

function checkSampleName(family: ParsedFamily, sample: ParsedSample, n: number): void {
  if (family.type === 'summary' && sample.name === family.name) {
    const q = sample.labels.quantile;
    if (q === undefined || !FLOAT.test(q)) throw new ExpositionError(n, `summary sample ${sample.name} without a numeric quantile label`);
  }
  if (family.type === 'histogram') {
    if (sample.name === family.name) throw new ExpositionError(n, `histogram ${family.name} has a sample without _bucket, _sum or _count`);
    if (sample.name.endsWith('_bucket') && !('le' in sample.labels)) throw new ExpositionError(n, `histogram bucket without le`);
  }
  if (
    (family.type === 'summary' || family.type === 'histogram') &&
    (sample.name.endsWith('_count') || sample.name.endsWith('_sum')) &&
    'quantile' in sample.labels
  )
    throw new ExpositionError(n, `${sample.name} has a quantile label`);
}

function unescapeHelp(text: string, n: number): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = text[++i];
    if (next === '\\') out += '\\';
    else if (next === 'n') out += '\n';
    else throw new ExpositionError(n, `invalid escape \\${next ?? ''} in HELP`);
  }
  return out;
}

function parseSampleLine(line: string, n: number): ParsedSample {
  let i = 0;
  const nameMatch = /^[^{ \t]+/.exec(line);
  if (!nameMatch || !METRIC_NAME.test(nameMatch[0])) throw new ExpositionError(n, `invalid metric name in ${JSON.stringify(line.slice(0, 80))}`);
  const name = nameMatch[0];
  i = name.length;
  const labels: Record<string, string> = {};
  if (line[i] === '{') {
    i++;
    while (true) {
      i = skipBlanks(line, i);
      if (line[i] === '}') {
        i++;
        break;
      }
      const labelMatch = /^[^=\s}]+/.exec(line.slice(i));
      const label = labelMatch?.[0] ?? '';
      if (!LABEL_NAME.test(label) || label.startsWith('__')) throw new ExpositionError(n, `invalid label name ${JSON.stringify(label)}`);
      if (label in labels) throw new ExpositionError(n, `label ${label} repeated`);
      i = skipBlanks(line, i + label.length);
      if (line[i] !== '=') throw new ExpositionError(n, `expected = after label ${label}`);
      i = skipBlanks(line, i + 1);
      if (line[i] !== '"') throw new ExpositionError(n, `expected " to open the value of ${label}`);
      i++;
      let value = '';
      while (true) {
        const c = line[i];
        if (c === undefined) throw new ExpositionError(n, `unterminated value of label ${label}`);
        i++;
        if (c === '"') break;
        if (c === '\\') {
          const e = line[i++];
          if (e === '\\') value += '\\';
          else if (e === '"') value += '"';
          else if (e === 'n') value += '\n';
          else throw new ExpositionError(n, `invalid escape \\${e ?? ''} in label ${label}`);
        } else value += c;
      }
      labels[label] = value;
      i = skipBlanks(line, i);
      if (line[i] === ',') i++;
      else if (line[i] !== '}') throw new ExpositionError(n, `expected , or } after label ${label}`);
    }
  }
  const rest = line.slice(i);
  if (!/^[ \t]/.test(rest)) throw new ExpositionError(n, `expected a blank before the value of ${name}`);
  const fields = rest.trim().split(/[ \t]+/);
  if (fields.length < 1 || fields.length > 2)
    throw new ExpositionError(n, `expected a value and an optional timestamp, got ${JSON.stringify(rest.trim().slice(0, 80))}`);
  const value = parseValue(fields[0]!, n);
  const sample: ParsedSample = { name, labels, value };
  if (fields[1] !== undefined) {
    if (!TIMESTAMP.test(fields[1])) throw new ExpositionError(n, `invalid timestamp ${JSON.stringify(fields[1])}`);
    sample.timestamp = Number(fields[1]);
  }
  return sample;
}

function parseValue(text: string, n: number): number {
  if (text === 'NaN') return Number.NaN;
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  if (!FLOAT.test(text)) throw new ExpositionError(n, `invalid value ${JSON.stringify(text.slice(0, 40))}`);
  return Number(text);
}

function skipBlanks(line: string, i: number): number {
  while (line[i] === ' ' || line[i] === '\t') i++;
  return i;
}

/** The value of the one sample of `name` whose labels include `labels` (throws when none or several match). */
export function sampleValue(families: Map<string, ParsedFamily>, name: string, labels: Record<string, string> = {}): number {
  const found = [...families.values()].flatMap((f) => f.samples).filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length !== 1) throw new Error(`${found.length} samples of ${name}${JSON.stringify(labels)}`);
  return found[0]!.value;
}
