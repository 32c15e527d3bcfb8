import type { ServerRow } from '../status/fleetOverview.js';
import type { BadgeUptime } from './badgeUptime.js';

/**
 * A Shields.io endpoint badge (https://shields.io/badges/endpoint-badge), schemaVersion 1:
 * the JSON that `https://img.shields.io/endpoint?url=<where it is published>` turns into a badge.
 */
export interface ShieldsEndpoint {
  schemaVersion: 1;
  label: string;
  message: string;
  color: string;
  /** How long Shields may cache it; the site is rebuilt every 15 minutes (pagesWorkflows.ts). */
  cacheSeconds?: number;
}

/** Shields' own floor for endpoint badges is 300 s; more would hide a rebuilt site longer. */
export const BADGE_CACHE_SECONDS = 300;

const HEALTH_COLOR: Record<ServerRow['health'], string> = {
  healthy: 'brightgreen',
  degraded: 'yellow',
  suspect: 'orange',
  failing: 'red',
  offline: 'red',
  unknown: 'lightgrey',
  maintenance: 'blue',
  invalid: 'lightgrey',
};

const badge = (label: string, message: string, color: string): ShieldsEndpoint => ({
  schemaVersion: 1,
  label,
  message,
  color,
  cacheSeconds: BADGE_CACHE_SECONDS,
});

/** "12/12 healthy", colored by the healthy share: all green, then yellow-green, yellow, orange, red. */
export function fleetBadge(rows: readonly Pick<ServerRow, 'health'>[]): ShieldsEndpoint {
  if (rows.length === 0) return badge('fleet', 'no servers', 'lightgrey');
  const healthy = rows.filter((r) => r.health === 'healthy').length;
  const share = healthy / rows.length;
  const color = share === 1 ? 'brightgreen' : share >= 0.9 ? 'yellowgreen' : share >= 0.75 ? 'yellow' : share >= 0.5 ? 'orange' : 'red';
  return badge('fleet', `${healthy}/${rows.length} healthy`, color);
}

/** A server's health as `gitfleet status` judges it at the time the site is written. */
export function serverHealthBadge(row: Pick<ServerRow, 'server' | 'health' | 'draining'>): ShieldsEndpoint {
  return badge(row.server, row.draining ? `${row.health}, draining` : row.health, HEALTH_COLOR[row.health]);
}

/** A server's uptime (badgeUptime.ts chooses the figure): green from 99.9 %, red under 95 %. */
export function serverUptimeBadge(server: string, uptime: BadgeUptime | null): ShieldsEndpoint {
  if (!uptime) return badge(`${server} uptime`, 'unknown', 'lightgrey');
  const p = uptime.percent;
  const color = p >= 99.9 ? 'brightgreen' : p >= 99 ? 'green' : p >= 98 ? 'yellowgreen' : p >= 95 ? 'yellow' : p >= 90 ? 'orange' : 'red';
  return badge(`${server} uptime ${uptime.window}`, `${formatPercent(p)}%`, color);
}

/** At most one decimal, none when whole ("100", "99.9"), never "100" for less than 100. */
function formatPercent(p: number): string {
  const rounded = Math.floor(p * 10) / 10;
  return Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(1);
}
