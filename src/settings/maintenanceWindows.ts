import type { MaintenanceWindow } from '../schema/types.js';

/** A span of time [start, end) in ms since the epoch. */
export type Span = [number, number];

/**
 * The longest a window may last. fleet.json is written by anyone who can push: a window
 * ending in the year 3000 would silence a server and hold its jobs forever, so every
 * occurrence is cut to this length from its start.
 */
export const MAX_WINDOW_MS = 7 * 86_400_000;
/** Ended one-off windows stay this long (an agent back from a long maintenance still leaves it out of its uptime), then the maintenance command prunes them. */
export const KEEP_ENDED_MS = 7 * 86_400_000;

const DAY = 86_400_000;
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** A window fleet.json describes well enough to act on (see resolveWindows). */
export interface ResolvedWindow {
  window: MaintenanceWindow;
  /** One-off: its bounds. Weekly: the optional bounds of the weeks it repeats in. */
  start: number | null;
  end: number | null;
}

/** The windows that can be acted on, and a warning for each that cannot (never fatal: a bad window only does nothing). */
export function resolveWindows(list: readonly MaintenanceWindow[] | undefined): { windows: ResolvedWindow[]; warnings: string[] } {
  const windows: ResolvedWindow[] = [];
  const warnings: string[] = [];
  for (const [i, w] of (list ?? []).entries()) {
    const name = `maintenance[${i}]${w.id ? ` (${w.id})` : ''}`;
    const start = w.start === undefined ? null : Date.parse(w.start);
    const end = w.end === undefined ? null : Date.parse(w.end);
    if (Number.isNaN(start) || Number.isNaN(end)) warnings.push(`${name}: a time this reader cannot read; ignored`);
    else if (!w.weekly && (start === null || end === null)) warnings.push(`${name}: needs start and end, or weekly; ignored`);
    else if (start !== null && end !== null && end <= start) warnings.push(`${name}: ends before it starts; ignored`);
    else {
      if (!w.weekly && end! - start! > MAX_WINDOW_MS) warnings.push(`${name}: longer than 7 days; cut to 7 days`);
      windows.push({ window: w, start, end });
    }
  }
  return { windows, warnings };
}

/** Whether a window covers this server: its id, one of its labels, or all. */
export function windowTargets(target: string, server: string, labels: readonly string[]): boolean {
  if (target === 'all') return true;
  if (target.startsWith('label:')) return labels.includes(target.slice(6));
  return target === server;
}

/** The occurrences of one window that overlap [from, to), each at most MAX_WINDOW_MS long. */
export function occurrences(w: ResolvedWindow, from: number, to: number): Span[] {
  const out: Span[] = [];
  const weekly = w.window.weekly;
  if (!weekly) {
    const s = w.start!;
    const e = Math.min(w.end!, s + MAX_WINDOW_MS);
    if (e > from && s < to) out.push([s, e]);
    return out;
  }
  const [hh, mm] = weekly.at.split(':').map(Number) as [number, number];
  const length = Math.min(weekly.minutes * 60_000, MAX_WINDOW_MS);
  // An occurrence that started up to its length before `from` still overlaps it.
  for (let day = Math.floor((from - length) / DAY) * DAY; day < to; day += DAY) {
    if (!weekly.days.includes(WEEKDAYS[new Date(day).getUTCDay()]!)) continue;
    let s = day + (hh * 60 + mm) * 60_000;
    let e = s + length;
    if (w.start !== null) s = Math.max(s, w.start);
    if (w.end !== null) e = Math.min(e, w.end);
    if (e > s && e > from && s < to) out.push([s, e]);
  }
  return out;
}

/** The time [from, to) a server spends in maintenance, as sorted, merged spans clipped to the range. */
export function maintenanceSpans(windows: readonly ResolvedWindow[], server: string, labels: readonly string[], from: number, to: number): Span[] {
  if (to <= from) return [];
  const all: Span[] = [];
  for (const w of windows) {
    if (!windowTargets(w.window.target, server, labels)) continue;
    for (const [s, e] of occurrences(w, from, to)) all.push([Math.max(s, from), Math.min(e, to)]);
  }
  return mergeSpans(all);
}

/** Sorted spans with overlapping and touching ones joined. */
export function mergeSpans(spans: Span[]): Span[] {
  const sorted = spans.filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0]);
  const out: Span[] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

export interface ActiveMaintenance {
  /** When the server's maintenance ends (overlapping and back-to-back windows joined). */
  until: number;
  reason: string | null;
}

/**
 * The maintenance a server is in at `now`, or null. `silentMs` is how long the reader has
 * not heard from the server: windows never cover more than MAX_WINDOW_MS of silence, so
 * fleet.json (the repository, which may lie or be mistaken) cannot keep a dead server's
 * jobs held and its death unannounced for ever by chaining windows or repeating a weekly one.
 */
export function activeMaintenance(
  windows: readonly ResolvedWindow[],
  server: string,
  labels: readonly string[],
  now: number,
  silentMs = 0,
): ActiveMaintenance | null {
  if (silentMs > MAX_WINDOW_MS) return null;
  // Look ahead far enough to join windows that follow one another without a gap.
  const spans = maintenanceSpans(windows, server, labels, now - MAX_WINDOW_MS, now + 4 * MAX_WINDOW_MS);
  const current = spans.find(([s, e]) => s <= now && now < e);
  if (!current) return null;
  let reason: string | null = null;
  for (const w of windows) {
    if (!windowTargets(w.window.target, server, labels)) continue;
    if (occurrences(w, now, now + 1).length > 0) {
      reason = w.window.reason ?? null;
      if (reason) break;
    }
  }
  return { until: current[1], reason };
}

/** How much of [start, end) the spans cover, in ms. */
export function coveredMs(start: number, end: number, spans: readonly Span[]): number {
  let covered = 0;
  for (const [s, e] of spans) covered += Math.max(0, Math.min(e, end) - Math.max(s, start));
  return covered;
}

/** [start, end) minus the spans: what is left, in order. */
export function subtractSpans(start: number, end: number, spans: readonly Span[]): Span[] {
  const out: Span[] = [];
  let cursor = start;
  for (const [s, e] of spans) {
    if (e <= cursor || s >= end) continue;
    if (s > cursor) out.push([cursor, s]);
    cursor = Math.max(cursor, e);
  }
  if (cursor < end) out.push([cursor, end]);
  return out;
}
