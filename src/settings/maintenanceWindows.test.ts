import { describe, expect, it } from 'vitest';
import type { MaintenanceWindow } from '../schema/types.js';
import {
  activeMaintenance,
  coveredMs,
  maintenanceSpans,
  MAX_WINDOW_MS,
  mergeSpans,
  resolveWindows,
  subtractSpans,
  windowTargets,
} from './maintenanceWindows.js';

const T = (iso: string) => Date.parse(iso);
const H = 3_600_000;
const resolve = (list: MaintenanceWindow[]) => resolveWindows(list).windows;

describe('windowTargets', () => {
  it.each([
    ['web-01', 'web-01', [], true],
    ['web-01', 'web-02', [], false],
    ['all', 'anything', [], true],
    ['label:gpu', 'web-01', ['gpu', 'eu'], true],
    ['label:gpu', 'web-01', ['eu'], false],
    // A server named like a label is not the label.
    ['gpu', 'web-01', ['gpu'], false],
  ] as const)('%s covers %s with labels %j: %s', (target, server, labels, expected) => {
    expect(windowTargets(target, server, labels)).toBe(expected);
  });
});

describe('resolveWindows', () => {
  it.each([
    [{ target: 'a', start: '2026-11-30T10:00:00Z', end: '2026-11-30T12:00:00Z' }, 1, 0],
    [{ target: 'a', start: '2026-11-30T10:00:00Z' }, 0, 1],
    [{ target: 'a', start: '2026-11-30T12:00:00Z', end: '2026-11-30T10:00:00Z' }, 0, 1],
    [{ target: 'a', start: '2026-11-30T10:00:00Z', end: '2027-11-30T10:00:00Z' }, 1, 1],
    [{ target: 'a', weekly: { days: ['sun'], at: '02:00', minutes: 60 } }, 1, 0],
  ] as [MaintenanceWindow, number, number][])('%j: %i usable, %i warnings', (w, usable, warnings) => {
    const r = resolveWindows([w]);
    expect(r.windows).toHaveLength(usable);
    expect(r.warnings).toHaveLength(warnings);
  });
});

describe('activeMaintenance', () => {
  const windows = resolve([
    { target: 'web-01', start: '2026-11-30T10:00:00Z', end: '2026-11-30T12:00:00Z', reason: 'kernel' },
    // Overlaps the first and ends later: the server's maintenance ends at 13:00.
    { target: 'label:eu', start: '2026-11-30T11:30:00Z', end: '2026-11-30T13:00:00Z' },
    { target: 'all', start: '2026-12-01T00:00:00Z', end: '2026-12-01T01:00:00Z' },
    // A clock-skew guard: a window a year long is cut to 7 days.
    { target: 'db-01', start: '2026-11-01T00:00:00Z', end: '2027-11-01T00:00:00Z' },
    { target: 'bk-01', weekly: { days: ['mon'], at: '23:00', minutes: 120 } },
    // A hand-pushed window from the epoch to the year 3000 holds nothing now.
    { target: 'old-01', start: '1970-01-01T00:00:00Z', end: '3000-01-01T00:00:00Z' },
  ]);
  it.each([
    ['web-01', [], '2026-11-30T09:59:59Z', null],
    ['web-01', [], '2026-11-30T10:00:00Z', '2026-11-30T12:00:00.000Z'],
    ['web-01', ['eu'], '2026-11-30T10:00:00Z', '2026-11-30T13:00:00.000Z'],
    ['web-02', ['eu'], '2026-11-30T11:00:00Z', null],
    ['web-02', ['eu'], '2026-11-30T12:00:00Z', '2026-11-30T13:00:00.000Z'],
    ['web-01', [], '2026-11-30T12:00:00Z', null],
    ['anyone', [], '2026-12-01T00:30:00Z', '2026-12-01T01:00:00.000Z'],
    ['db-01', [], '2026-11-07T23:00:00Z', '2026-11-08T00:00:00.000Z'],
    ['db-01', [], '2026-11-08T00:00:00Z', null],
    // 2026-11-30 is a Monday: 23:00 to 01:00 the next day.
    ['bk-01', [], '2026-11-30T23:30:00Z', '2026-12-01T01:00:00.000Z'],
    ['bk-01', [], '2026-12-01T00:59:00Z', '2026-12-01T01:00:00.000Z'],
    ['bk-01', [], '2026-12-01T01:00:00Z', null],
    ['bk-01', [], '2026-12-07T23:00:00Z', '2026-12-08T01:00:00.000Z'],
    ['old-01', [], '2026-11-30T12:00:00Z', null],
    ['old-01', [], '1970-01-07T23:59:59Z', '1970-01-08T00:00:00.000Z'],
  ] as [string, string[], string, string | null][])('%s %j at %s: until %s', (server, labels, at, until) => {
    const active = activeMaintenance(windows, server, labels, T(at));
    expect(active ? new Date(active.until).toISOString() : null).toBe(until);
  });
  it('covers at most 7 days of silence, however the windows are chained or repeated', () => {
    // A week-long window on every day: always in maintenance, were it not for the bound.
    const always = resolve([{ target: 'all', weekly: { days: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'], at: '00:00', minutes: 10080 } }]);
    const now = T('2026-11-30T12:00:00Z');
    expect(activeMaintenance(always, 'web-01', [], now, MAX_WINDOW_MS)).not.toBeNull();
    expect(activeMaintenance(always, 'web-01', [], now, MAX_WINDOW_MS + 1)).toBeNull();
    expect(activeMaintenance(always, 'web-01', [], now)).not.toBeNull();
  });
  it('names the reason of the window that covers now', () => {
    expect(activeMaintenance(windows, 'web-01', [], T('2026-11-30T10:30:00Z'))?.reason).toBe('kernel');
  });
  it('a weekly window bounded by start and end repeats only between them', () => {
    const w = resolve([{ target: 'a', weekly: { days: ['mon'], at: '10:00', minutes: 60 }, start: '2026-12-01T00:00:00Z' }]);
    expect(activeMaintenance(w, 'a', [], T('2026-11-30T10:30:00Z'))).toBeNull();
    expect(activeMaintenance(w, 'a', [], T('2026-12-07T10:30:00Z'))).not.toBeNull();
  });
});

describe('spans', () => {
  it('maintenanceSpans merges overlapping windows and clips them to the range', () => {
    const windows = resolve([
      { target: 'a', start: '2026-11-30T10:00:00Z', end: '2026-11-30T12:00:00Z' },
      { target: 'all', start: '2026-11-30T11:00:00Z', end: '2026-11-30T14:00:00Z' },
      { target: 'b', start: '2026-11-30T15:00:00Z', end: '2026-11-30T16:00:00Z' },
    ]);
    expect(maintenanceSpans(windows, 'a', [], T('2026-11-30T11:00:00Z'), T('2026-11-30T20:00:00Z'))).toEqual([
      [T('2026-11-30T11:00:00Z'), T('2026-11-30T14:00:00Z')],
    ]);
  });
  it.each([
    [
      [
        [0, 10],
        [5, 20],
        [30, 40],
        [40, 50],
      ],
      [
        [0, 20],
        [30, 50],
      ],
    ],
    [
      [
        [30, 40],
        [0, 10],
      ],
      [
        [0, 10],
        [30, 40],
      ],
    ],
    [[[5, 5]], []],
  ] as [[number, number][], [number, number][]][])('mergeSpans %j', (input, out) => expect(mergeSpans(input)).toEqual(out));
  it.each([
    [
      0,
      100,
      [
        [10, 20],
        [50, 60],
      ],
      [
        [0, 10],
        [20, 50],
        [60, 100],
      ],
      20,
    ],
    [0, 100, [[-10, 200]], [], 100],
    [0, 100, [], [[0, 100]], 0],
  ] as [number, number, [number, number][], [number, number][], number][])('[%i, %i) less %j', (s, e, spans, rest, covered) => {
    expect(subtractSpans(s, e, spans)).toEqual(rest);
    expect(coveredMs(s, e, spans)).toBe(covered);
  });
  it('caps a weekly window at 7 days', () => {
    const w = resolve([{ target: 'a', weekly: { days: ['sun'], at: '00:00', minutes: 10080 } }]);
    const spans = maintenanceSpans(w, 'a', [], T('2026-11-01T00:00:00Z'), T('2026-11-30T00:00:00Z'));
    for (const [s, e] of spans) expect(e - s).toBeLessThanOrEqual(5 * MAX_WINDOW_MS);
    expect(coveredMs(T('2026-11-02T00:00:00Z'), T('2026-11-03T00:00:00Z'), spans)).toBe(24 * H);
  });
});
