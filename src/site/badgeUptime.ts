import type { ServerStatus } from '../schema/types.js';

/** The uptime a badge shows: a percentage and the window it covers. */
export interface BadgeUptime {
  percent: number;
  /** Shown in the badge's label, e.g. "7d". */
  window: string;
}

/**
 * The one place badges read a server's uptime from. Today that is the availability the
 * agent keeps in its status record (`availability.pct7d`, else `pct24h`: the share of the
 * window the agent was seen running, src/status/availability.ts). When status records
 * carry the 30/90-day daily history, point this function at it (e.g. a 30-day figure);
 * nothing else changes.
 */
export function badgeUptime(status: Pick<ServerStatus, 'availability'> | undefined): BadgeUptime | null {
  const a = status?.availability;
  if (a?.pct7d !== undefined) return { percent: a.pct7d, window: '7d' };
  if (a?.pct24h !== undefined) return { percent: a.pct24h, window: '24h' };
  return null;
}
