import path from 'node:path';
import { defaultCacheRoot } from '../../git/defaultCacheRoot.js';

/**
 * Where the launcher keeps V8's compiled code for the CLI's bundles (src/cli/codeCache/
 * loadBundle.ts): the folder systemd gives the unit ($CACHE_DIRECTORY, CacheDirectory= in
 * the units `agent install` writes), else the user's cache root; null when turned off
 * (GITFLEET_CODE_CACHE=0) or when there is no absolute place to put it.
 */
export function codeCacheDir(env: NodeJS.ProcessEnv): string | null {
  if (env.GITFLEET_CODE_CACHE === '0' || env.GITFLEET_CODE_CACHE === 'off') return null;
  // systemd lists one folder per CacheDirectory= entry, separated by ':'.
  const systemd = env.CACHE_DIRECTORY?.split(':')[0];
  if (systemd && path.isAbsolute(systemd)) return path.join(systemd, 'code');
  try {
    const root = defaultCacheRoot(env);
    return path.isAbsolute(root) ? path.join(root, 'code') : null;
  } catch {
    return null; // no home folder (os.homedir() throws): run without a cache
  }
}
