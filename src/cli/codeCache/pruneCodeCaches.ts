import { readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

/** Files nobody has written for this long are caches of builds, installs or node versions gone by. */
const MAX_AGE_MS = 30 * 24 * 3_600_000;

/**
 * Removes from the code cache folder what no run will read again: this install's caches of
 * the same bundle and command from earlier builds (names starting with `stale` but not
 * `keep`), and any cache or temporary file (a writer killed mid-write) older than 30 days,
 * whichever install left it. Other installs' current caches stay: two installs used in turn
 * (a global one and a checkout) must not delete each other's on every run.
 */
export function pruneCodeCaches(dir: string, stale: string, keep: string, now = Date.now()): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.endsWith('.v8') && !name.endsWith('.tmp')) continue;
    const file = path.join(dir, name);
    try {
      const old = now - statSync(file).mtimeMs > MAX_AGE_MS;
      if (old || (name.startsWith(stale) && !name.startsWith(keep) && name.endsWith('.v8'))) rmSync(file, { force: true });
    } catch {
      // gone already (another run pruned it)
    }
  }
}
