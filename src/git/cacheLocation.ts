import path from 'node:path';
import { sha256Hex } from '../util/sha256Hex.js';

/**
 * One cache folder per (remote, branch, backend), named so a person can tell which is
 * which: "127.0.0.1-8470-fleet.git-main-cli-3f9a0c1b2d".
 */
export function cacheDirFor(root: string, url: string, branch: string, backend: string): string {
  // Not node:crypto: `status` names its cache before it starts the fetch (src/util/sha256Hex.ts).
  const hash = sha256Hex(`${url}\n${branch}\n${backend}`).slice(0, 10);
  const slug = url
    .replace(/^[a-z+]+:\/\//i, '')
    .replace(/[^a-zA-Z0-9.]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(-40);
  return path.join(root, `${slug}-${branch.replace(/[^a-zA-Z0-9.]+/g, '-')}-${backend}-${hash}`);
}
