import { describe, expect, it } from 'vitest';
import type { HostSample } from './Collector.js';
import { addHistoryPoint, boundHistory, HISTORY_POINTS, HISTORY_STEP_MS, historyPoint } from './statusHistory.js';
import { hostSample } from '../../tests/helpers/hostSample.js';

const NOW = Date.parse('2026-11-22T12:00:00.000Z');
const S = NOW / 1000;
const point = (atS: number) => [atS, 10, 20, 30];

describe('addHistoryPoint: about one point a step, the last HISTORY_POINTS', () => {
  it.each<[string, number[][], number, number[][]]>([
    ['the first point', [], NOW, [point(S)]],
    ['a step after the last', [point(S - 60)], NOW, [point(S - 60), point(S)]],
    ['a little early (90% of a step) still counts', [point(S - 54)], NOW, [point(S - 54), point(S)]],
    ['too soon after the last: unchanged', [point(S - 53)], NOW, [point(S - 53)]],
    ['a long gap adds one point, not the missing ones', [point(S - 3600)], NOW, [point(S - 3600), point(S)]],
  ])('%s', (_name, history, atMs, expected) => {
    expect(addHistoryPoint(history, point(atMs / 1000), atMs)).toEqual(expected);
  });

  it('drops the oldest point once full', () => {
    const full = Array.from({ length: HISTORY_POINTS }, (_, i) => point(S - (HISTORY_POINTS - i) * (HISTORY_STEP_MS / 1000)));
    const next = addHistoryPoint(full, point(S), NOW);
    expect(next).toHaveLength(HISTORY_POINTS);
    expect(next[0]).toEqual(full[1]);
    expect(next.at(-1)).toEqual(point(S));
  });
});

describe('historyPoint: [unix seconds, cpu %, memory %, fullest disk %]', () => {
  const sample = (over: Partial<HostSample>): HostSample =>
    hostSample({
      at: NOW + 999,
      cpuPercent: 12.345,
      uptimeSeconds: 1,
      disks: [
        { mount: '/', total: 100, used: 30 },
        { mount: '/data', total: 3, used: 2 },
      ],
      ...over,
    });
  it.each<[string, Partial<HostSample>, number[]]>([
    ['rounded to one decimal, the fullest disk', {}, [S, 12.3, 25, 66.7]],
    ['no disks: 0', { disks: [] }, [S, 12.3, 25, 0]],
    ['a total of zero is 0 %, not NaN', { memTotal: 0, disks: [{ mount: '/', total: 0, used: 0 }] }, [S, 12.3, 0, 0]],
  ])('%s', (_name, over, expected) => {
    expect(historyPoint(sample(over))).toEqual(expected);
  });
});

describe('boundHistory: points from the state file are bounded by the clock', () => {
  it.each<[string, unknown[], number[][]]>([
    ['past points are kept', [point(S - 60), point(S)], [point(S - 60), point(S)]],
    ['a point a little ahead (within the slack) is kept', [point(S + 60)], [point(S + 60)]],
    ['a point far in the future is dropped', [point(S - 60), point(S + 86_400)], [point(S - 60)]],
    ['malformed points are dropped', [null, 'x', ['1', 2], [], point(S)], [point(S)]],
  ])('%s', (_name, history, expected) => {
    expect(boundHistory(history, NOW)).toEqual(expected);
  });
});
