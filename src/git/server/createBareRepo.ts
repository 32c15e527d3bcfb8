import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A bare repository set up to be a fleet remote: fast-forward pushes only (the ref
 * update is the compare-and-swap every transaction relies on; gitfleet never forces a
 * normal write), pushes over HTTP allowed. `allowRewrite` permits `gitfleet compact`.
 */
export async function createBareRepo(dir: string, branch = 'main', options: { allowRewrite?: boolean } = {}): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1' };
  await run('git', ['init', '--bare', '--quiet', `--initial-branch=${branch}`, dir], { env });
  for (const [key, value] of [
    // Compaction rewrites history (with a lease); everything else only fast-forwards.
    ['receive.denyNonFastForwards', options.allowRewrite ? 'false' : 'true'],
    ['receive.denyDeletes', 'true'],
    ['http.receivepack', 'true'],
    ['core.logAllRefUpdates', 'false'],
  ]) {
    await run('git', ['-C', dir, 'config', key!, value!], { env });
  }
}
