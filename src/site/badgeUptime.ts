import type { ServerStatus } from '../schema/types.js';
import type { UptimeSummary } from '../status/fleetOverview.js';

/** The uptime a badge shows: a percentage and the window it covers. */
export interface BadgeUptime {
  percent: number;
  /** Shown in the badge's label, e.g. "30d". */
  window: string;
}

/**
 * The one place badges read a server's uptime from: the 30-day daily history as readers
 * see it (src/status/uptimeView.ts: silence past the offline threshold counts as down,
 * maintenance is left out), else, for an agent too old to keep that history, the
 * availability it reports itself (`availability.pct7d`, else `pct24h`).
 */
export function badgeUptime(
  uptime: Pick<UptimeSummary, 'pct30'> | null | undefined,
  status: Pick<ServerStatus, 'availability'> | undefined,
): BadgeUptime | null {
  if (uptime?.pct30 !== null && uptime?.pct30 !== undefined) return { percent: uptime.pct30, window: '30d' };
  const a = status?.availability;
  if (a?.pct7d !== undefined) return { percent: a.pct7d, window: '7d' };
  if (a?.pct24h !== undefined) return { percent: a.pct24h, window: '24h' };
  return null;
}
