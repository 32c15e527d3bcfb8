import type { ServerStatus } from '../schema/types.js';
import { type Span, subtractSpans } from '../settings/maintenanceWindows.js';

/** Days of history an agent keeps and publishes. */
export const UPTIME_DAYS = 90;
const DAY = 86_400_000;

/**
 * Daily up/down totals in ms: days[i] is [up, down] of UTC day `from + i` (days since the
 * epoch). `lastSeen` is when the agent last saw itself running: the next sighting decides
 * whether the time in between was up (a short step) or down (a gap).
 */
export interface DailyUptime {
  from: number;
  days: [number, number][];
  lastSeen: number | null;
}

export const dayNumber = (t: number): number => Math.floor(t / DAY);
/** Recent days' names, shared: `status` names the same 90 days for every server (4,500 Dates for 50). */
const dayNames = new Map<number, string>();
export function dayDate(day: number): string {
  let name = dayNames.get(day);
  if (name === undefined) {
    if (dayNames.size >= 1024) dayNames.clear();
    name = new Date(day * DAY).toISOString().slice(0, 10);
    dayNames.set(day, name);
  }
  return name;
}

/** The day number of a YYYY-MM-DD date, or null when it is not one. */
export function parseDayDate(text: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
  const t = Date.parse(`${text}T00:00:00Z`);
  return Number.isFinite(t) ? dayNumber(t) : null;
}

/**
 * Adds [start, end) less the excluded spans (maintenance, sorted) to the days as up (0)
 * or down (1), keeping at most `keep` days that end with the day of `end`. Time before
 * the first kept day is dropped; nothing else is ever lost, so the result stays exact.
 */
export function addSpan(daily: DailyUptime, start: number, end: number, kind: 0 | 1, excluded: readonly Span[], keep = UPTIME_DAYS): DailyUptime {
  const out: DailyUptime = { from: daily.from, days: daily.days.map((d) => [d[0], d[1]]), lastSeen: daily.lastSeen };
  const lastDay = Math.max(out.from + out.days.length - 1, dayNumber(Math.max(start, end - 1)));
  if (out.days.length === 0) out.from = lastDay;
  for (const [s, e] of subtractSpans(start, end, excluded)) {
    for (let t = s; t < e; ) {
      const day = dayNumber(t);
      const next = Math.min(e, (day + 1) * DAY);
      if (day < out.from) {
        // Older than the first kept day: prepend only as far as the window of `keep` days allows.
        if (day <= lastDay - keep) {
          t = next;
          continue;
        }
        out.days.unshift(...Array.from({ length: out.from - day }, (): [number, number] => [0, 0]));
        out.from = day;
      }
      while (out.from + out.days.length <= day) out.days.push([0, 0]);
      out.days[day - out.from]![kind] += next - t;
      t = next;
    }
  }
  while (out.from + out.days.length <= lastDay) out.days.push([0, 0]);
  const drop = Math.max(0, out.days.length - keep);
  if (drop > 0) {
    out.days = out.days.slice(drop);
    out.from += drop;
  }
  return out;
}

/**
 * The agent saw itself running at `now`: the time since its last sighting counts as up
 * when it is no longer than `toleranceMs` (a few sample steps), else as down (the agent
 * or its machine was not running). Maintenance time counts as neither.
 */
export function recordSighting(daily: DailyUptime | null, now: number, toleranceMs: number, excluded: readonly Span[]): DailyUptime {
  const base: DailyUptime = daily ?? { from: dayNumber(now), days: [], lastSeen: null };
  const last = base.lastSeen;
  // First sighting, or a clock that went back: nothing to add, but today shows from now on.
  const next = last === null || now <= last ? addSpan(base, now, now, 0, excluded) : addSpan(base, last, now, now - last <= toleranceMs ? 0 : 1, excluded);
  next.lastSeen = last === null ? now : Math.max(last, now);
  return next;
}

/** The record's form: whole seconds, each bounded by a day. */
export function toRecordUptime(daily: DailyUptime): NonNullable<ServerStatus['uptime']> {
  const sec = (ms: number) => Math.min(86_400, Math.max(0, Math.round(ms / 1000)));
  return { from: dayDate(daily.from), days: daily.days.slice(-UPTIME_DAYS).map(([u, d]) => [sec(u), sec(d)]) };
}

/** A record's days in ms, or null for an old record (no field) or one whose date is unreadable. */
export function fromRecordUptime(uptime: ServerStatus['uptime']): DailyUptime | null {
  if (!uptime) return null;
  const from = parseDayDate(uptime.from);
  if (from === null) return null;
  return { from, days: uptime.days.slice(0, UPTIME_DAYS).map((d) => [(d[0] ?? 0) * 1000, (d[1] ?? 0) * 1000]), lastSeen: null };
}
