import os from 'node:os';
import { runGit } from '../git/runGit.js';
import { type CheckResult, fail, ok } from './DoctorCheck.js';

/** package.json's engines.node. */
export const MIN_NODE: readonly [number, number] = [20, 19];
/**
 * git 2.31: the first with GIT_CONFIG_COUNT/KEY/VALUE, through which gitEnvironment.ts
 * passes the token header and turns hooks off. An older git ignores them silently
 * (pushes fail with "authentication required", hooks of the cache would run). The other
 * features the CLI backend uses are older: cat-file --batch, fast-import --done,
 * push --force-with-lease (1.8.5), fetch --shallow-since (2.11), fetch --no-auto-gc (2.23).
 */
export const MIN_GIT: readonly [number, number] = [2, 31];

function atLeast(version: readonly number[], min: readonly [number, number]): boolean {
  const [major = 0, minor = 0] = version;
  return major > min[0] || (major === min[0] && minor >= min[1]);
}

export function checkNode(version = process.versions.node): CheckResult {
  const parts = version.split('.').map(Number);
  if (atLeast(parts, MIN_NODE)) return ok('node', `node ${version} (needs ${MIN_NODE.join('.')} or later)`);
  return fail(
    'node',
    `node ${version} is older than ${MIN_NODE.join('.')}`,
    `install Node.js ${MIN_NODE.join('.')} or later (https://nodejs.org, or your distribution's nodejs package)`,
  );
}

/** git's version; only the cli backend needs git (the js backend speaks HTTP itself). */
export async function checkGit(backend: 'cli' | 'js'): Promise<CheckResult> {
  const needed = backend === 'cli';
  let out: string;
  try {
    const result = await runGit(['--version'], { cwd: os.tmpdir(), env: { PATH: process.env.PATH ?? '', LC_ALL: 'C' }, timeoutMs: 20_000 });
    out = result.stdout.toString('utf8').trim();
  } catch {
    if (!needed) return ok('git', 'git not found (not needed by the js backend)');
    return fail('git', 'git not found on PATH', 'install git (apt-get install git), or use --backend js for an https remote', 11);
  }
  const version = /git version (\d+)\.(\d+)/.exec(out);
  const parts = version ? [Number(version[1]), Number(version[2])] : [0, 0];
  const shown = out.replace(/^git version /, '');
  if (atLeast(parts, MIN_GIT)) return ok('git', `git ${shown} (needs ${MIN_GIT.join('.')} or later)`);
  if (!needed) return ok('git', `git ${shown} is older than ${MIN_GIT.join('.')} (not needed by the js backend)`);
  return fail(
    'git',
    `git ${shown} is older than ${MIN_GIT.join('.')}, which passes the token and disables hooks`,
    `install git ${MIN_GIT.join('.')} or later (Debian 12 and Ubuntu 22.04 have it), or use --backend js`,
    11,
  );
}
