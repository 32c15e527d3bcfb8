import { describe, expect, it } from 'vitest';
import { parsePrometheusText } from '../../tests/helpers/prometheusText.js';
import { boundLabelValue, escapeHelp, escapeLabelValue, formatValue, MAX_LABEL_VALUE_CHARS, renderExposition } from './metricText.js';

describe('metricText', () => {
  it('escapes label values and help the way the format says', () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    expect(escapeHelp('a\\b"c\nd')).toBe('a\\\\b"c\\nd');
  });

  it('spells NaN and the infinities as the format does', () => {
    expect([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0.25, -3, 1e21].map(formatValue)).toEqual([
      'NaN',
      '+Inf',
      '-Inf',
      '0.25',
      '-3',
      '1e+21',
    ]);
  });

  it('bounds a label value by code points, never splitting a surrogate pair, and replaces controls and lone surrogates', () => {
    const emoji = '😀'.repeat(200);
    const cut = boundLabelValue(emoji);
    expect(Array.from(cut)).toHaveLength(MAX_LABEL_VALUE_CHARS);
    expect(cut.endsWith('😀…')).toBe(true);
    expect(boundLabelValue('a\u0000b\tc\u009bd\ud800e\nf')).toBe('a\ufffdb\ufffdc\ufffdd\ufffde\nf');
    expect(boundLabelValue('short')).toBe('short');
  });

  it('renders families that the strict parser reads back; refuses names that are not valid', () => {
    const text = renderExposition([
      { name: 'a_total', type: 'counter', help: 'with a \\ and\na newline', samples: [{ labels: { k: 'v"\\\n' }, value: 1 }] },
      { name: 'b', type: 'gauge', help: 'empty family', samples: [] },
    ]);
    const parsed = parsePrometheusText(text);
    expect(parsed.get('a_total')!.samples[0]!.labels.k).toBe('v"\\\n');
    expect(parsed.get('a_total')!.help).toBe('with a \\ and\na newline');
    expect(() => renderExposition([{ name: 'bad-name', type: 'gauge', help: '', samples: [] }])).toThrow(/metric name/);
    expect(() => renderExposition([{ name: 'x', type: 'gauge', help: '', samples: [{ labels: { 'bad.label': '1' }, value: 1 }] }])).toThrow(/label name/);
    const twice = { name: 'x', type: 'gauge' as const, help: '', samples: [] };
    expect(() => renderExposition([twice, twice])).toThrow(/twice/);
  });
});
