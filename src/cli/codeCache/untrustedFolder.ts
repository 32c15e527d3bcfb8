import { lstatSync, realpathSync } from 'node:fs';
import path from 'node:path';

/**
 * Why code kept in `dir` could have been put there by another account, 'missing' when the
 * folder does not exist, or undefined when it is safe: as ssh's StrictModes asks of
 * ~/.ssh, the folder (symbolic links resolved) must be this user's and writable by nobody
 * else, and every folder above it must be this user's or root's and writable by nobody else
 * unless sticky (/tmp: others cannot rename or remove what is ours there). Root running
 * with another user's HOME therefore uses no cache there. With `own`, only the folder's
 * owner is checked (whether creating folders below it creates them in another's).
 * Windows: folders are checked for existence only; the user's %LOCALAPPDATA% ACL protects them.
 */
export function untrustedFolder(dir: string, options: { own?: boolean } = {}): string | 'missing' | undefined {
  let real: string;
  try {
    real = realpathSync.native(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'missing' : `cannot resolve ${dir} (${code})`;
  }
  if (process.platform === 'win32' || typeof process.getuid !== 'function') return undefined;
  const uid = process.getuid();
  for (let p = real, first = true; ; p = path.dirname(p), first = false) {
    const stat = lstatSync(p);
    if (first && !stat.isDirectory()) return `${p} is not a folder`;
    if (first ? stat.uid !== uid : stat.uid !== uid && stat.uid !== 0) return `${p} belongs to uid ${stat.uid}, not this user`;
    if (options.own) return undefined;
    const sticky = (stat.mode & 0o1000) !== 0;
    if ((stat.mode & 0o022) !== 0 && (first || !sticky)) return `${p} is writable by group or others (mode ${(stat.mode & 0o7777).toString(8)})`;
    if (path.dirname(p) === p) return undefined;
  }
}
