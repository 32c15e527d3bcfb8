import { coveredMs, type Span, subtractSpans } from '../settings/maintenanceWindows.js';

/** Intervals [start, end] (ms) during which the agent was seen running. */
export type UpIntervals = [number, number][];

const WEEK = 7 * 86_400_000;

/**
 * Records that the agent is running at `now`. A gap longer than `toleranceMs` (a few
 * sampling intervals) starts a new interval: the time in between counts as down.
 * Keeps a week of history, merged, so the state stays small.
 */
export function recordUp(intervals: UpIntervals, now: number, toleranceMs: number): UpIntervals {
  const kept = intervals.filter(([, end]) => end >= now - WEEK);
  const last = kept[kept.length - 1];
  if (last && now >= last[1] && now - last[1] <= toleranceMs) last[1] = now;
  else if (!last || now > last[1]) kept.push([now, now]);
  return kept;
}

/**
 * Percentage of the last `windowMs` (or of the time since first seen, if shorter) covered by
 * intervals, with the excluded spans (maintenance windows, sorted and merged) left out of both.
 */
export function availabilityPercent(intervals: UpIntervals, now: number, windowMs: number, excluded: readonly Span[] = []): number {
  if (intervals.length === 0) return 0;
  const from = Math.max(now - windowMs, intervals[0]![0]);
  const span = now - from - coveredMs(from, now, excluded);
  if (span <= 0) return 100;
  let covered = 0;
  for (const [s, e] of intervals) {
    for (const [a, b] of subtractSpans(Math.max(s, from), Math.min(e, now), excluded)) covered += b - a;
  }
  return Math.min(100, Math.round((covered / span) * 1000) / 10);
}
