import type { ResolvedFleetSettings } from '../settings/fleetSettings.js';
import { coveredMs, maintenanceSpans } from '../settings/maintenanceWindows.js';
import type { ServerStatus } from '../schema/types.js';
import { addSpan, dayDate, dayNumber, fromRecordUptime, UPTIME_DAYS } from './uptimeHistory.js';

export interface UptimeDayView {
  /** YYYY-MM-DD (UTC). */
  date: string;
  upMs: number;
  downMs: number;
  /** Time in a maintenance window (counted neither up nor down). */
  maintenanceMs: number;
  /** Up share of the time known, in percent (2 decimals), or null when nothing is known of the day. */
  pct: number | null;
}

export interface UptimeView {
  /** Oldest first, ending with today (the reader's UTC day). */
  days: UptimeDayView[];
  pct30: number | null;
  pct90: number | null;
}

/**
 * A server's daily availability as a reader sees it at `now`: the days its agent
 * reported, plus the silence since its last heartbeat counted as down once it is past
 * the offline threshold (a dead agent cannot report its own death), less maintenance.
 * `ageMs`/`periodMs` come from evaluateHealth, so "silent" means what "offline" means.
 * An old record without the field gives days with no data (pct null), never an error.
 * Pure and browser-safe: `status --json`, the dashboard and the site snapshot share it.
 */
export function uptimeView(
  status: ServerStatus,
  settings: ResolvedFleetSettings,
  verdict: { ageMs: number | null; periodMs: number },
  now: number,
  count = UPTIME_DAYS,
): UptimeView {
  const today = dayNumber(now);
  const first = today - count + 1;
  const labels = status.labels ?? [];
  const maintenance = maintenanceSpans(settings.maintenance, status.server, labels, first * 86_400_000, now);
  let daily = fromRecordUptime(status.uptime) ?? { from: today, days: [], lastSeen: null };
  if (verdict.ageMs !== null && verdict.ageMs > settings.heartbeat.deadAfterPeriods * verdict.periodMs) {
    daily = addSpan(daily, now - verdict.ageMs, now, 1, maintenance, count + 1);
  }
  const days: UptimeDayView[] = new Array(count);
  // Totals of the last 30 and 90 days, summed on the way (`status` does this for every server).
  let up30 = 0;
  let down30 = 0;
  let up90 = 0;
  let down90 = 0;
  for (let day = first; day <= today; day++) {
    const entry = day >= daily.from ? daily.days[day - daily.from] : undefined;
    const upMs = entry ? entry[0] : 0;
    const downMs = entry ? entry[1] : 0;
    const maintenanceMs = maintenance.length ? coveredMs(day * 86_400_000, (day + 1) * 86_400_000, maintenance) : 0;
    days[day - first] = { date: dayDate(day), upMs, downMs, maintenanceMs, pct: percent(upMs, downMs) };
    if (today - day < 90) {
      up90 += upMs;
      down90 += downMs;
    }
    if (today - day < 30) {
      up30 += upMs;
      down30 += downMs;
    }
  }
  return { days, pct30: percent(up30, down30), pct90: percent(up90, down90) };
}

function percent(up: number, down: number): number | null {
  const total = up + down;
  if (total <= 0) return null;
  // Floored: a day with any downtime never rounds up to 100 %.
  return Math.floor((up / total) * 10_000) / 100;
}
