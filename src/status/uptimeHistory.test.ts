import { describe, expect, it } from 'vitest';
import { resolveFleetSettings } from '../settings/fleetSettings.js';
import type { ServerStatus } from '../schema/types.js';
import { addSpan, dayNumber, fromRecordUptime, recordSighting, toRecordUptime, type DailyUptime } from './uptimeHistory.js';
import { seededRandom } from '../../tests/helpers/seededRandom.js';
import { uptimePercents, uptimeView } from './uptimeView.js';

const T = (iso: string) => Date.parse(iso);
const MIN = 60_000;
const H = 60 * MIN;
const DAY = 24 * H;

/** Sightings every `stepMs` from `from` to `to`, like an agent sampling. */
function sight(daily: DailyUptime | null, from: number, to: number, stepMs: number, excluded: [number, number][] = []): DailyUptime {
  let d = daily;
  for (let t = from; t <= to; t += stepMs) d = recordSighting(d, t, 3 * stepMs, excluded);
  return d!;
}

describe('recordSighting', () => {
  it('counts steps within the tolerance as up and a gap as down, split at UTC midnight', () => {
    let d = sight(null, T('2026-11-29T22:00:00Z'), T('2026-11-29T23:00:00Z'), MIN);
    d = sight(d, T('2026-11-30T01:00:00Z'), T('2026-11-30T02:00:00Z'), MIN);
    const r = toRecordUptime(d);
    expect(r.from).toBe('2026-11-29');
    expect(r.days).toEqual([
      [3600, 3600],
      [3600, 3600],
    ]);
  });
  it('leaves maintenance out of both', () => {
    const win: [number, number][] = [[T('2026-11-30T10:00:00Z'), T('2026-11-30T11:00:00Z')]];
    let d = sight(null, T('2026-11-30T09:00:00Z'), T('2026-11-30T09:30:00Z'), MIN, win);
    d = recordSighting(d, T('2026-11-30T12:00:00Z'), 3 * MIN, win);
    expect(toRecordUptime(d).days).toEqual([[1800, 5400]]);
  });
  it('keeps 90 days, the last being the day of the latest sighting', () => {
    let d = recordSighting(null, T('2026-01-01T00:00:00Z'), MIN, []);
    d = recordSighting(d, T('2026-11-30T00:00:30Z'), MIN, []);
    expect(d.days).toHaveLength(90);
    expect(d.from + 89).toBe(dayNumber(T('2026-11-30T00:00:00Z')));
    expect(d.days[0]).toEqual([0, DAY]);
    expect(d.days[89]).toEqual([0, 30_000]);
  });
  it('ignores a clock that went back', () => {
    const d = recordSighting(recordSighting(null, T('2026-11-30T10:00:00Z'), MIN, []), T('2026-11-30T09:00:00Z'), MIN, []);
    expect(d.days).toEqual([[0, 0]]);
    expect(d.lastSeen).toBe(T('2026-11-30T10:00:00Z'));
  });
  it('round-trips through the record form in seconds', () => {
    const d = addSpan({ from: dayNumber(T('2026-11-30T00:00:00Z')), days: [], lastSeen: null }, T('2026-11-30T00:00:00Z'), T('2026-11-30T06:00:00Z'), 0, []);
    expect(fromRecordUptime(toRecordUptime(d))?.days).toEqual([[6 * H, 0]]);
    expect(fromRecordUptime(undefined)).toBeNull();
    expect(fromRecordUptime({ from: 'not-a-day', days: [] })).toBeNull();
  });
});

describe('uptimeView', () => {
  const base: ServerStatus = { schemaVersion: 1, server: 'web-01', updatedAt: '2026-11-30T12:00:00.000Z', seq: 1, health: { state: 'healthy' } };
  const settings = resolveFleetSettings({ schemaVersion: 1, heartbeat: { periodSeconds: 60 } });
  const now = T('2026-11-30T12:00:00Z');
  const fresh = { ageMs: 0, periodMs: 60_000 };

  it.each([
    // [record days, age of the last heartbeat, today's pct, pct30]
    [
      'a full day up, fresh',
      [
        [86400, 0],
        [43200, 0],
      ],
      0,
      100,
      100,
    ],
    [
      'a day with 1 s down stays below 100',
      [
        [86399, 1],
        [43200, 0],
      ],
      0,
      100,
      99.99,
    ],
    // Silent 1 h (past the 6-minute offline window): the hour counts as down.
    [
      'silent past the offline window',
      [
        [86400, 0],
        [39600, 0],
      ],
      H,
      91.66,
      97.22,
    ],
    // Silent 5 min: not offline yet, so not counted.
    [
      'silent within the window',
      [
        [86400, 0],
        [42900, 0],
      ],
      5 * MIN,
      100,
      100,
    ],
  ] as [string, [number, number][], number, number, number][])('%s', (_name, days, ageMs, today, pct30) => {
    const status = { ...base, uptime: { from: '2026-11-29', days } };
    const v = uptimeView(status, settings, { ageMs, periodMs: 60_000 }, now);
    expect(v.days).toHaveLength(90);
    expect(v.days.at(-1)!.date).toBe('2026-11-30');
    expect(v.days.at(-1)!.pct).toBe(today);
    expect(v.pct30).toBe(pct30);
  });

  it('reads an old record without the field: no data, never an error', () => {
    const v = uptimeView(base, settings, fresh, now);
    expect(v.days.every((d) => d.pct === null)).toBe(true);
    expect(v.pct90).toBeNull();
  });

  it('extends a dead agent over the days since, less maintenance', () => {
    const withWindow = resolveFleetSettings({
      schemaVersion: 1,
      maintenance: [{ target: 'web-01', start: '2026-11-29T00:00:00Z', end: '2026-11-30T00:00:00Z', reason: 'move' }],
    });
    const status = { ...base, updatedAt: '2026-11-28T00:00:00.000Z', uptime: { from: '2026-11-27', days: [[86400, 0] as [number, number]] } };
    const v = uptimeView(status, withWindow, { ageMs: now - T('2026-11-28T00:00:00Z'), periodMs: 60_000 }, now);
    const last = v.days.slice(-4).map((d) => [d.date, d.pct, d.maintenanceMs]);
    expect(last).toEqual([
      ['2026-11-27', 100, 0],
      ['2026-11-28', 0, 0],
      ['2026-11-29', null, DAY],
      ['2026-11-30', 0, 0],
    ]);
  });

  it('gives the same percentages without building the days (uptimePercents), whatever the record holds', () => {
    const withWindow = resolveFleetSettings({
      schemaVersion: 1,
      heartbeat: { periodSeconds: 60 },
      maintenance: [{ target: 'web-01', start: '2026-11-10T00:00:00Z', end: '2026-11-12T06:00:00Z', reason: 'move' }],
    });
    const random = seededRandom(12);
    const dates = ['2026-06-01', '2026-08-20', '2026-09-01', '2026-10-31', '2026-11-29', '2026-11-30', '2026-12-02'];
    let silentCases = 0;
    for (let i = 0; i < 300; i++) {
      const days = Array.from({ length: Math.floor(random() * 120) }, (): [number, number] => {
        const down = random() < 0.3 ? Math.floor(random() * 86_400) : 0;
        return [Math.floor(random() * (86_400 - down)), down];
      });
      const status = { ...base, uptime: { from: dates[Math.floor(random() * dates.length)]!, days } };
      // Fresh, silent within the offline window, or silent for up to 40 days (then counted as down).
      const ageMs = [0, 5 * MIN, Math.floor(random() * 40 * DAY)][Math.floor(random() * 3)]!;
      if (ageMs > 6 * MIN) silentCases++;
      const verdict = { ageMs, periodMs: 60_000 };
      for (const fleet of [settings, withWindow]) {
        const view = uptimeView(status, fleet, verdict, now);
        expect(uptimePercents(status, fleet, verdict, now), `case ${i}`).toEqual({ pct30: view.pct30, pct90: view.pct90 });
      }
    }
    expect(silentCases).toBeGreaterThan(50);
  });
});
