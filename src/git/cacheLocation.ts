import { createHash } from 'node:crypto';
import path from 'node:path';

/**
 * One cache folder per (remote, branch, backend), named so a person can tell which is
 * which: "127.0.0.1-8470-fleet.git-main-cli-3f9a0c1b2d".
 */
export function cacheDirFor(root: string, url: string, branch: string, backend: string): string {
  const hash = createHash('sha256').update(`${url}\n${branch}\n${backend}`).digest('hex').slice(0, 10);
  const slug = url
    .replace(/^[a-z+]+:\/\//i, '')
    .replace(/[^a-zA-Z0-9.]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(-40);
  return path.join(root, `${slug}-${branch.replace(/[^a-zA-Z0-9.]+/g, '-')}-${backend}-${hash}`);
}
