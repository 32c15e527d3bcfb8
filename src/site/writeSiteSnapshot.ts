import path from 'node:path';
import type { Snapshot } from '../store/Snapshot.js';
import { writeFileAtomic } from '../util/writeFileAtomic.js';
import { buildSiteSnapshot, type SiteSnapshot } from './buildSiteSnapshot.js';

/** The file name the dashboard fetches for its first paint (dashboard.json's default). */
export const SNAPSHOT_FILE = 'snapshot.json';

/**
 * Writes `<dir>/snapshot.json` from one commit: what `gitfleet snapshot --out` writes and
 * what `gitfleet site` puts beside the dashboard, so the two can never differ.
 */
export async function writeSiteSnapshot(snapshot: Snapshot, dir: string, now = new Date()): Promise<{ file: string; site: SiteSnapshot }> {
  const site = await buildSiteSnapshot(snapshot, now);
  const file = path.resolve(dir, SNAPSHOT_FILE);
  // Published as it is: readable by the web server.
  await writeFileAtomic(file, JSON.stringify(site), 0o644);
  return { file, site };
}

/** One line about a written snapshot: how many records, at which commit, what was left out. */
export function describeSiteSnapshot(site: SiteSnapshot): string {
  const count = Object.keys(site.files).length;
  const skipped = site.skipped.length
    ? `; left out ${site.skipped.length} (${site.skipped
        .map((s) => s.path)
        .join(', ')
        .slice(0, 200)})`
    : '';
  return `${count} records at ${site.commit?.slice(0, 10)}${skipped}`;
}
