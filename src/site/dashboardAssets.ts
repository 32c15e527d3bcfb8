import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GitfleetError } from '../errors/index.js';

/**
 * The folder of the built dashboard (index.html, app.js, ...). It is built next to the
 * CLI bundle, in dist/dashboard/; this walks up from the running file because the
 * bundle's chunks sit one folder deeper than its entry.
 */
export function dashboardAssetsDir(from = fileURLToPath(import.meta.url)): string {
  let dir = path.dirname(from);
  for (let i = 0; i < 4; i++) {
    for (const candidate of [path.join(dir, 'dashboard'), path.join(dir, 'dist', 'dashboard')]) {
      if (existsSync(path.join(candidate, 'index.html')) && existsSync(path.join(candidate, 'app.js'))) return candidate;
    }
    dir = path.dirname(dir);
  }
  throw new GitfleetError('E_NOT_FOUND', 'the dashboard is not built', { hint: 'run npm run build (it writes dist/dashboard/)' });
}
