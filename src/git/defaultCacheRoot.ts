import os from 'node:os';
import path from 'node:path';

/** The per-user cache root: $XDG_CACHE_HOME, ~/Library/Caches or %LOCALAPPDATA%, under "gitfleet". */
export function defaultCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (process.platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(os.homedir(), 'AppData', 'Local'), 'gitfleet', 'cache');
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Caches', 'gitfleet');
  return path.join(env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'gitfleet');
}
