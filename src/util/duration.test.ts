import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.js';
import { parseTimeArg } from './parseTimeArg.js';

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['7d', 604_800_000],
    ['250ms', 250],
    ['2w', 1_209_600_000],
    ['45', 45_000],
  ])('%s', (text, expected) => expect(parseDuration(text)).toBe(expected));

  it.each(['', 'abc', '5x', '-5m', '5m x', 'm5'])('refuses %j', (text) => expect(parseDuration(text)).toBeNull());
});

describe('formatDuration', () => {
  it.each([
    [45_000, '45s'],
    [90_000, '1m 30s'],
    [3_600_000, '1h'],
    [3 * 86_400_000 + 4 * 3_600_000, '3d 4h'],
  ])('%d', (value, expected) => expect(formatDuration(value)).toBe(expected));
});

describe('parseTimeArg', () => {
  const now = Date.parse('2026-11-22T12:00:00Z');
  it('takes durations back from now and ISO dates', () => {
    expect(parseTimeArg('2h', now)?.toISOString()).toBe('2026-11-22T10:00:00.000Z');
    expect(parseTimeArg('2026-11-01', now)?.toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(parseTimeArg('2026-11-01T10:00:00Z', now)?.toISOString()).toBe('2026-11-01T10:00:00.000Z');
  });
  it.each(['yesterday', '2026-13-45', 'now'])('refuses %j', (text) => expect(parseTimeArg(text, now)).toBeNull());
});
