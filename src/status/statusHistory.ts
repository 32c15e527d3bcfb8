import { FUTURE_SLACK_MS } from '../util/clockBounds.js';
import type { HostSample } from './Collector.js';

/**
 * The rolling history a status carries: [unix seconds, cpu %, memory %, fullest disk %],
 * about one point per HISTORY_STEP_MS, the last HISTORY_POINTS of them (an hour).
 */
export const HISTORY_STEP_MS = 60_000;
export const HISTORY_POINTS = 60;

/** A sample as a history point, percentages to one decimal. */
export function historyPoint(s: HostSample): number[] {
  const pct = (u: number, t: number) => (t > 0 ? Math.round((u / t) * 1000) / 10 : 0);
  const disk = Math.max(0, ...s.disks.map((d) => pct(d.used, d.total)));
  return [Math.floor(s.at / 1000), Math.round(s.cpuPercent * 10) / 10, pct(s.memUsed, s.memTotal), disk];
}

/**
 * Adds a point when a step has passed since the last one (a little early counts: a
 * timer that fires a moment before the minute must not skip a whole step).
 */
export function addHistoryPoint(history: number[][], point: number[], atMs: number): number[][] {
  const last = history[history.length - 1];
  if (last && atMs / 1000 - (last[0] ?? 0) < (HISTORY_STEP_MS / 1000) * 0.9) return history;
  return [...history, point].slice(-HISTORY_POINTS);
}

/**
 * The history as loaded from disk, bounded by the clock: a malformed point, or one
 * beyond now plus FUTURE_SLACK_MS, is dropped (it would hold off new points for as
 * long as it lies ahead).
 */
export function boundHistory(history: readonly unknown[], now: number): number[][] {
  const limitS = (now + FUTURE_SLACK_MS) / 1000;
  return history.filter((p): p is number[] => Array.isArray(p) && typeof p[0] === 'number' && p[0] <= limitS);
}
