import { MAX_RECORD_BYTES } from '../schema/recordKinds.js';
import { classifyPath } from '../store/recordPaths.js';
import type { Snapshot } from '../store/Snapshot.js';

/**
 * What `gitfleet snapshot --out` writes for the dashboard's first paint: the live record
 * files of one commit, as text, unparsed. The dashboard treats them exactly like files it
 * fetches from GitHub itself: untrusted, validated in the browser, invalid ones shown as
 * such. Archives are left out (the dashboard shows the present).
 */
export interface SiteSnapshot {
  format: 'gitfleet-snapshot';
  version: 1;
  commit: string | null;
  generatedAt: string;
  /** Path -> file text. */
  files: Record<string, string>;
  /** Files not included, and why (too large, not UTF-8). */
  skipped: { path: string; reason: string }[];
}

const LARGEST = Math.max(...Object.values(MAX_RECORD_BYTES));

export async function buildSiteSnapshot(snapshot: Snapshot, now = new Date()): Promise<SiteSnapshot> {
  const paths: string[] = [];
  for (const root of ['fleet.json', 'coordinator.json', 'status', 'jobs', 'messages'] as const) {
    for (const path of await snapshot.paths(root)) {
      const c = classifyPath(path);
      if (c.type === 'record' && c.month === undefined) paths.push(path);
    }
  }
  const files: Record<string, string> = {};
  const skipped: SiteSnapshot['skipped'] = [];
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const contents = await snapshot.readFiles(paths, LARGEST);
  for (const path of paths.sort()) {
    const c = classifyPath(path);
    const limit = c.type === 'record' ? MAX_RECORD_BYTES[c.kind] : LARGEST;
    const content = contents.get(path);
    if (!content) continue;
    const size = 'tooLarge' in content ? content.tooLarge : content.byteLength;
    if ('tooLarge' in content || size > limit) {
      skipped.push({ path, reason: `file is ${size} bytes, larger than the ${limit} a record of its kind may be` });
      continue;
    }
    try {
      files[path] = utf8.decode(content as Uint8Array);
    } catch {
      skipped.push({ path, reason: 'not valid UTF-8 text' });
    }
  }
  return { format: 'gitfleet-snapshot', version: 1, commit: snapshot.commit, generatedAt: now.toISOString(), files, skipped };
}
