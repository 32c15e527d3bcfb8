import path from 'node:path';
import type { Snapshot } from '../store/Snapshot.js';
import { isValidId } from '../store/recordPaths.js';
import { fleetOverview } from '../status/fleetOverview.js';
import { writeFileAtomic } from '../util/writeFileAtomic.js';
import { badgeUptime } from './badgeUptime.js';
import { fleetBadge, type ShieldsEndpoint, serverHealthBadge, serverUptimeBadge } from './shieldsBadge.js';

/** The folder of the badges inside a site. */
export const BADGES_DIR = 'badges';

/**
 * The badges of one commit, by path inside the site: badges/fleet.json, and for each server
 * badges/servers/<id>.json (health) and badges/servers/<id>.uptime.json (a dot is never part
 * of a server id, so no server's health file can be another's uptime file). Health is judged
 * at `now`, as `gitfleet status` would. Only servers whose id is valid get files: a path is
 * always built from a validated id.
 */
export async function buildBadges(snapshot: Snapshot, remoteUrl: string, now: number): Promise<Map<string, ShieldsEndpoint>> {
  const [{ rows }, { records }] = await Promise.all([fleetOverview(snapshot, remoteUrl, { now }), snapshot.list('status')]);
  const statuses = new Map(records.map((s) => [s.server, s]));
  const badges = new Map<string, ShieldsEndpoint>([[`${BADGES_DIR}/fleet.json`, fleetBadge(rows)]]);
  for (const row of rows) {
    if (!isValidId(row.server)) continue;
    badges.set(`${BADGES_DIR}/servers/${row.server}.json`, serverHealthBadge(row));
    badges.set(`${BADGES_DIR}/servers/${row.server}.uptime.json`, serverUptimeBadge(row.server, badgeUptime(row.uptime, statuses.get(row.server))));
  }
  return badges;
}

/** Writes the badges under `dir` (a site being built); returns their paths inside it. */
export async function writeBadges(snapshot: Snapshot, dir: string, remoteUrl: string, now: number): Promise<string[]> {
  const badges = await buildBadges(snapshot, remoteUrl, now);
  for (const [file, badge] of badges) await writeFileAtomic(path.join(dir, file), `${JSON.stringify(badge)}\n`, 0o644);
  return [...badges.keys()];
}
