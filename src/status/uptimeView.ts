import type { ResolvedFleetSettings } from '../settings/fleetSettings.js';
import { coveredMs, maintenanceSpans, type Span } from '../settings/maintenanceWindows.js';
import type { ServerStatus } from '../schema/types.js';
import { addSpan, type DailyUptime, dayDate, dayNumber, fromRecordUptime, UPTIME_DAYS } from './uptimeHistory.js';

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
  const { daily, maintenance, today, first } = dailyAsSeen(status, settings, verdict, now, count);
  const days: UptimeDayView[] = new Array(count);
  // Totals of the last 30 and 90 days, summed on the way.
  const totals = new WindowTotals(today);
  for (let day = first; day <= today; day++) {
    const entry = day >= daily.from ? daily.days[day - daily.from] : undefined;
    const upMs = entry ? entry[0] : 0;
    const downMs = entry ? entry[1] : 0;
    const maintenanceMs = maintenance.length ? coveredMs(day * 86_400_000, (day + 1) * 86_400_000, maintenance) : 0;
    days[day - first] = { date: dayDate(day), upMs, downMs, maintenanceMs, pct: percent(upMs, downMs) };
    totals.add(day, upMs, downMs);
  }
  return { days, ...totals.percents() };
}

/**
 * uptimeView's pct30 and pct90 alone, from the days the record holds, without a view of
 * each day: what the `status` table and the metrics show. Building 90 days for every
 * server cost `status` ~2 ms on 50 servers, and made those loops hot enough for V8 to
 * optimise them on another thread, which node then waited for at exit (~9 ms; docs/benchmarks.md).
 */
export function uptimePercents(
  status: ServerStatus,
  settings: ResolvedFleetSettings,
  verdict: { ageMs: number | null; periodMs: number },
  now: number,
): Pick<UptimeView, 'pct30' | 'pct90'> {
  const { daily, today, first } = dailyAsSeen(status, settings, verdict, now, UPTIME_DAYS);
  const totals = new WindowTotals(today);
  for (let i = Math.max(0, first - daily.from); i < daily.days.length && daily.from + i <= today; i++) {
    totals.add(daily.from + i, daily.days[i]![0], daily.days[i]![1]);
  }
  return totals.percents();
}

/** The record's days, with the silence since its last heartbeat added as down once it counts as offline. */
function dailyAsSeen(
  status: ServerStatus,
  settings: ResolvedFleetSettings,
  verdict: { ageMs: number | null; periodMs: number },
  now: number,
  count: number,
): { daily: DailyUptime; maintenance: Span[]; today: number; first: number } {
  const today = dayNumber(now);
  const first = today - count + 1;
  const labels = status.labels ?? [];
  const maintenance = maintenanceSpans(settings.maintenance, status.server, labels, first * 86_400_000, now);
  let daily = fromRecordUptime(status.uptime) ?? { from: today, days: [], lastSeen: null };
  if (verdict.ageMs !== null && verdict.ageMs > settings.heartbeat.deadAfterPeriods * verdict.periodMs) {
    daily = addSpan(daily, now - verdict.ageMs, now, 1, maintenance, count + 1);
  }
  return { daily, maintenance, today, first };
}

/** Up and down time of the last 30 and 90 days before `today` (included). */
class WindowTotals {
  readonly #today: number;
  #up30 = 0;
  #down30 = 0;
  #up90 = 0;
  #down90 = 0;

  constructor(today: number) {
    this.#today = today;
  }

  add(day: number, upMs: number, downMs: number): void {
    if (this.#today - day < 90) {
      this.#up90 += upMs;
      this.#down90 += downMs;
    }
    if (this.#today - day < 30) {
      this.#up30 += upMs;
      this.#down30 += downMs;
    }
  }

  percents(): Pick<UptimeView, 'pct30' | 'pct90'> {
    return { pct30: percent(this.#up30, this.#down30), pct90: percent(this.#up90, this.#down90) };
  }
}

function percent(up: number, down: number): number | null {
  const total = up + down;
  if (total <= 0) return null;
  // Floored: a day with any downtime never rounds up to 100 %.
  return Math.floor((up / total) * 10_000) / 100;
}
