/**
 * The Prometheus text exposition format, version 0.0.4: names, escapes and numbers.
 * https://prometheus.io/docs/instrumenting/exposition_formats/ (text format details).
 * Pure and small on purpose: every byte of /metrics and of `gitfleet metrics` goes
 * through here, and label values come from an untrusted repository.
 */

/** The Content-Type of the format (a scraper that sees another one may parse it differently). */
export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** A label value is cut to this many characters (code points), so a hostile record cannot make a series huge. */
export const MAX_LABEL_VALUE_CHARS = 120;

export const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * Characters replaced in label values: controls other than a newline (which is escaped),
 * and the invisible and direction-changing ones src/cli/terminalText.ts takes out of terminal
 * text, since `gitfleet metrics` prints to a terminal too.
 */
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u115f\u1160\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufeff\ufff9-\ufffb]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export type MetricType = 'counter' | 'gauge' | 'summary' | 'histogram' | 'untyped';

/** Label name -> value, in the order they are written. */
export type Labels = Readonly<Record<string, string>>;

export interface Sample {
  labels: Labels;
  value: number;
}

export interface MetricFamily {
  name: string;
  type: MetricType;
  help: string;
  samples: readonly Sample[];
}

/**
 * A value from the repository made fit for a label: well-formed Unicode (a lone surrogate
 * would become invalid UTF-8), control characters other than a newline replaced (the
 * format allows them, but they garble a terminal or a log), and at most
 * MAX_LABEL_VALUE_CHARS code points, the last one an ellipsis when cut.
 */
export function boundLabelValue(value: string): string {
  const clean = value.replace(LONE_SURROGATE, '\ufffd').replace(UNSAFE, '\ufffd');
  const chars = Array.from(clean);
  return chars.length <= MAX_LABEL_VALUE_CHARS ? clean : `${chars.slice(0, MAX_LABEL_VALUE_CHARS - 1).join('')}…`;
}

/** A label value as written between the quotes: backslash, double quote and newline escaped. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** HELP text: backslash and newline escaped (quotes stay as they are in HELP). */
export function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** A sample value as Go's ParseFloat reads it: NaN, +Inf and -Inf spelled the format's way. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

/**
 * The exposition of the given families: HELP and TYPE before each family's samples, each
 * family once. Metric and label names are gitfleet's own (never from the repository), so
 * a wrong one is a programming error and throws; values are bounded and escaped here.
 */
export function renderExposition(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const family of families) {
    if (!METRIC_NAME.test(family.name)) throw new Error(`invalid metric name ${family.name}`);
    if (seen.has(family.name)) throw new Error(`metric family ${family.name} rendered twice`);
    seen.add(family.name);
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`);
    for (const sample of family.samples) lines.push(`${family.name}${formatLabels(sample.labels)} ${formatValue(sample.value)}`);
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

function formatLabels(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  for (const [name] of entries) if (!LABEL_NAME.test(name) || name.startsWith('__')) throw new Error(`invalid label name ${name}`);
  return `{${entries.map(([name, value]) => `${name}="${escapeLabelValue(boundLabelValue(value))}"`).join(',')}}`;
}
