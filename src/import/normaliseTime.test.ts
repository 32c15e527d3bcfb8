import { describe, expect, it } from 'vitest';
import { normaliseTime } from './normaliseTime.js';

describe('normaliseTime', () => {
  it.each([
    ['epoch seconds', 1761739200, '2025-10-29T12:00:00.000Z'],
    ['epoch seconds as a string', '1761739200', '2025-10-29T12:00:00.000Z'],
    ['epoch seconds with a fraction', 1761739200.5, '2025-10-29T12:00:00.500Z'],
    ['epoch milliseconds', 1761739200123, '2025-10-29T12:00:00.123Z'],
    ['ISO with Z', '2025-10-29T12:00:00Z', '2025-10-29T12:00:00.000Z'],
    ['ISO without a zone (UTC)', '2025-10-29T12:00:00', '2025-10-29T12:00:00.000Z'],
    ['ISO with microseconds', '2025-10-29T11:00:00.123456', '2025-10-29T11:00:00.123Z'],
    ['ISO with an offset', '2025-10-29T10:00:00+02:00', '2025-10-29T08:00:00.000Z'],
    ['ISO with a compact offset', '2025-10-29T10:00:00-0130', '2025-10-29T11:30:00.000Z'],
    ['space instead of T', '2025-10-29 12:01:30', '2025-10-29T12:01:30.000Z'],
    ['date only', '2025-10-29', '2025-10-29T00:00:00.000Z'],
    ['file-name stamp', '20251029-140000', '2025-10-29T14:00:00.000Z'],
    ['compact ISO stamp', '20251029T120000Z', '2025-10-29T12:00:00.000Z'],
    ['mail date', 'Wed, 29 Oct 2025 12:00:00 +0000', '2025-10-29T12:00:00.000Z'],
  ])('%s', (_name, input, expected) => {
    expect(normaliseTime(input)).toBe(expected);
  });

  it.each([
    ['words', 'yesterday-ish'],
    ['a small number (a counter, not a time)', 42],
    ['zero', 0],
    ['negative', -5],
    ['an impossible date', '2025-02-31T00:00:00Z'],
    ['an impossible hour', '2025-10-29T25:00:00'],
    ['before 2000', '1999-12-31T23:59:59Z'],
    ['null', null],
    ['an object', { t: 1 }],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a huge string', '2'.repeat(100)],
  ])('null for %s', (_name, input) => {
    expect(normaliseTime(input)).toBeNull();
  });
});
