import { describe, expect, it } from 'vitest';
import { believedPast, clampLocalTime, deadlineHolds, FUTURE_SLACK_MS, isBeyondSlack, parseTime } from './clockBounds.js';

const NOW = Date.parse('2026-11-22T12:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const FAR = '9999-01-01T00:00:00.000Z';

describe("clockBounds: times from the repository are bounded by the reader's clock", () => {
  it.each([
    ['an ordinary time', iso(NOW - 60_000), NOW - 60_000],
    ['not a time', 'soon', null],
    ['absent', undefined, null],
    ['a leap second (schema-valid, not parseable)', '2026-12-31T23:59:60Z', null],
  ] as const)('parseTime: %s', (_, text, expected) => {
    expect(parseTime(text)).toBe(expected);
  });

  it.each([
    ['in the past', NOW - 3_600_000, NOW - 3_600_000],
    ['now', NOW, NOW],
    ['within the slack ahead', NOW + FUTURE_SLACK_MS, NOW + FUTURE_SLACK_MS],
    ['just beyond the slack: unknown', NOW + FUTURE_SLACK_MS + 1, null],
    ['the year 9999: unknown', Date.parse(FAR), null],
    ['NaN: unknown', Number.NaN, null],
  ] as const)('believedPast: %s', (_, time, expected) => {
    expect(believedPast(time, NOW)).toBe(expected);
    expect(believedPast(Number.isFinite(time) ? iso(time) : 'x', NOW)).toBe(expected);
    if (expected === null && Number.isFinite(time)) expect(isBeyondSlack(time, NOW)).toBe(true);
  });

  it.each([
    ['a deadline passed holds nothing off', iso(NOW - 1), 60_000, false],
    ['a deadline now holds nothing off', iso(NOW), 60_000, false],
    ['a deadline within the longest wait holds', iso(NOW + 60_000), 60_000, true],
    ['the longest wait plus the slack still holds', iso(NOW + 60_000 + FUTURE_SLACK_MS), 60_000, true],
    ['beyond that: not honoured', iso(NOW + 60_000 + FUTURE_SLACK_MS + 1), 60_000, false],
    ['the year 9999: not honoured', FAR, 604_800_000, false],
    ['not a time: not honoured', 'later', 60_000, false],
  ] as const)('deadlineHolds: %s', (_, until, maxAhead, holds) => {
    expect(deadlineHolds(until, NOW, maxAhead)).toBe(holds);
  });

  it.each([
    ['a past time', NOW - 1000, NOW - 1000],
    ['a future time beyond the slack', NOW + 3_600_000, null],
    ['not a number', '1700000000000', null],
    ['Infinity', Number.POSITIVE_INFINITY, null],
  ] as const)('clampLocalTime (state files): %s', (_, value, expected) => {
    expect(clampLocalTime(value, NOW)).toBe(expected);
  });
});
