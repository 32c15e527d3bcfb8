import path from 'node:path';
import { defaultCacheRoot } from '../../git/defaultCacheRoot.js';

/**
 * Where the launcher keeps V8's compiled code for the CLI's bundles (src/cli/codeCache/
 * loadBundle.ts), or null for nowhere:
 * - GITFLEET_CODE_CACHE: `0` or `off` turns it off; an absolute path names the folder
 *   (the cron line of a machine-wide `agent install` points it into /var/cache/gitfleet);
 * - else the folder systemd gives a unit with CacheDirectory=gitfleet ($CACHE_DIRECTORY, as
 *   the units `agent install` writes have), but not another unit's that gitfleet inherits;
 * - else the user's cache root (~/.cache/gitfleet/code).
 */
export function codeCacheDir(env: NodeJS.ProcessEnv): string | null {
  const setting = env.GITFLEET_CODE_CACHE;
  if (setting === '0' || setting === 'off') return null;
  if (setting && path.isAbsolute(setting)) return setting;
  // systemd lists one folder per CacheDirectory= entry, separated by ':'.
  const systemd = env.CACHE_DIRECTORY?.split(':').find((dir) => path.isAbsolute(dir) && path.basename(dir) === 'gitfleet');
  if (systemd) return path.join(systemd, 'code');
  try {
    const root = defaultCacheRoot(env);
    return path.isAbsolute(root) ? path.join(root, 'code') : null;
  } catch {
    return null; // no home folder (os.homedir() throws): run without a cache
  }
}
