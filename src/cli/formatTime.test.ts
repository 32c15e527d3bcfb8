import { describe, expect, it } from 'vitest';
import { formatTime } from './formatTime.js';

describe('formatTime: one timestamp style in CLI text', () => {
  const now = Date.parse('2026-11-30T12:00:00Z');
  it('says how long ago, or how long until', () => {
    expect(formatTime('2026-11-30T11:55:00Z', false, now)).toBe('5m ago');
    expect(formatTime('2026-11-30T14:00:00.000Z', false, now)).toBe('in 2h');
  });
  it('gives ISO 8601 UTC on request, and "-" for no time', () => {
    expect(formatTime('2026-11-30T11:55:00+01:00', true, now)).toBe('2026-11-30T10:55:00.000Z');
    expect(formatTime(undefined, true, now)).toBe('-');
  });
});
