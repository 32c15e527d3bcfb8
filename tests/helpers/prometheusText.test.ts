import { describe, expect, it } from 'vitest';
import { parsePrometheusText, sampleValue } from './prometheusText.js';

const GOOD = [
  '# HELP up Whether the target is up: a \\\\ and a \\n in help',
  '# TYPE up gauge',
  'up{job="a",instance="x\\"y\\\\z\\nw"} 1',
  'up{job="b",} 0 1700000000000',
  '# a comment',
  '',
  'untyped_one 3.5e-3',
  '# TYPE rq summary',
  'rq{quantile="0.5"} NaN',
  'rq_sum 10',
  'rq_count 2',
  '# TYPE lat histogram',
  'lat_bucket{le="1"} 1',
  'lat_bucket{le="+Inf"} 2',
  'lat_sum 3',
  'lat_count 2',
  'inf_values{x="1"} +Inf',
  'inf_values{x="2"} -Inf',
  '',
].join('\n');

describe('the strict exposition parser', () => {
  it('reads a valid exposition: escapes, NaN and infinities, timestamps, summary and histogram suffixes', () => {
    const f = parsePrometheusText(GOOD);
    expect(f.get('up')).toMatchObject({ type: 'gauge', help: 'Whether the target is up: a \\ and a \n in help' });
    expect(f.get('up')!.samples[0]!.labels).toEqual({ job: 'a', instance: 'x"y\\z\nw' });
    expect(f.get('up')!.samples[1]).toMatchObject({ value: 0, timestamp: 1_700_000_000_000 });
    expect(f.get('untyped_one')).toMatchObject({ type: 'untyped' });
    expect(sampleValue(f, 'rq', { quantile: '0.5' })).toBeNaN();
    expect(f.get('rq')!.samples).toHaveLength(3);
    expect(f.get('lat')!.samples).toHaveLength(4);
    expect(sampleValue(f, 'inf_values', { x: '1' })).toBe(Number.POSITIVE_INFINITY);
    expect(sampleValue(f, 'inf_values', { x: '2' })).toBe(Number.NEGATIVE_INFINITY);
    expect(parsePrometheusText('').size).toBe(0);
  });

  const bad: [string, string, RegExp][] = [
    ['no newline at the end', 'up 1', /newline/],
    ['a metric name with a dash', 'up-now 1\n', /metric name/],
    ['a metric name starting with a digit', '1up 1\n', /metric name/],
    ['a label name with a dot', 'up{a.b="1"} 1\n', /label name/],
    ['a reserved label name', 'up{__name__="x"} 1\n', /label name/],
    ['an unknown escape in a label value', 'up{a="\\t"} 1\n', /escape/],
    ['a raw quote ending a value early', 'up{a="x"y"} 1\n', /expected , or }/],
    ['an unterminated label value', 'up{a="x} 1\n', /unterminated/],
    ['a repeated label', 'up{a="1",a="2"} 1\n', /repeated/],
    ['a missing value', 'up{a="1"}\n', /blank before the value/],
    ['a value Go extensions only read', 'up 0x10\n', /invalid value/],
    ['a value with underscores', 'up 1_000\n', /invalid value/],
    ['a word as value', 'up nan\n', /invalid value/],
    ['a fractional timestamp', 'up 1 1.5\n', /timestamp/],
    ['too many fields', 'up 1 2 3\n', /value and an optional timestamp/],
    ['TYPE after the samples', 'up 1\n# TYPE up gauge\n', /after its samples/],
    ['two TYPE lines', '# TYPE up gauge\n# TYPE up gauge\nup 1\n', /second TYPE/],
    ['two HELP lines', '# HELP up a\n# HELP up b\nup 1\n', /second HELP/],
    ['an unknown type', '# TYPE up meter\nup 1\n', /unknown type/],
    ['an invalid escape in HELP', '# HELP up a \\"b\\"\nup 1\n', /escape/],
    ['a family split in two groups', 'a 1\nb 1\na{x="1"} 2\n', /one group/],
    ['a duplicate series', 'up{a="1",b="2"} 1\nup{b="2",a="1"} 2\n', /twice/],
    ['a duplicate series without labels', 'up 1\nup 2\n', /twice/],
    ['a summary sample without quantile', '# TYPE s summary\ns 1\n', /quantile/],
    ['a histogram bucket without le', '# TYPE h histogram\nh_bucket 1\n', /le/],
    ['a bare histogram sample', '# TYPE h histogram\nh 1\n', /without _bucket/],
    ['a lone surrogate', 'up{a="\ud800"} 1\n', /surrogate/],
  ];
  it.each(bad)('rejects %s', (_what, text, reason) => {
    expect(() => parsePrometheusText(text)).toThrow(reason);
  });

  it('rejects bytes that are not UTF-8', () => {
    expect(() => parsePrometheusText(new Uint8Array([0x75, 0x70, 0x7b, 0x61, 0x3d, 0x22, 0xff, 0x22, 0x7d, 0x20, 0x31, 0x0a]))).toThrow(/UTF-8/);
  });
});
