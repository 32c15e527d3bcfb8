import { existsSync } from 'node:fs';
import path from 'node:path';

const HOME_ROOTS = ['/home/', '/root/', '/run/user/'];

/**
 * PATH for a scheduled run: node's folder and git's first (as found now), then the
 * usual system folders. cron's default (/usr/bin:/bin) would miss a node or git
 * installed elsewhere, and the agent starts both.
 */
export function scheduledPath(nodePath: string, env: NodeJS.ProcessEnv = process.env): string {
  const git = (env.PATH ?? '').split(path.delimiter).find((dir) => dir && path.isAbsolute(dir) && existsSync(path.join(dir, 'git')));
  const dirs = [path.dirname(nodePath), ...(git ? [git] : []), '/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
  return [...new Set(dirs)].join(':');
}

/** ProtectHome=true hides /home, /root and /run/user: read-only instead when the agent needs something there. */
export function protectHomeFor(needed: string[]): { value: 'true' | 'read-only'; because?: string } {
  const inHome = needed.find((p) => HOME_ROOTS.some((root) => `${p}/`.startsWith(root)));
  return inHome ? { value: 'read-only', because: `${inHome} is under a home folder` } : { value: 'true' };
}
