import { promises as fs } from 'node:fs';
import os from 'node:os';
import { runGit } from '../git/runGit.js';
import { type CheckResult, fail, ok, warn } from './DoctorCheck.js';

/** More loose objects than this and reads slow down: the cache wants packing. */
const MANY_LOOSE = 5000;

/** The cache as `git count-objects -v` reports it. */
interface ObjectCounts {
  count: number;
  size: number;
  'in-pack': number;
  packs: number;
  'size-pack': number;
  garbage: number;
}

/**
 * The private cache of this remote and branch, inspected read-only before anything else
 * touches it (a fetch would repair or rebuild it): a bare repository, its size, how many
 * loose objects, and a connectivity check (every object the refs reach is present).
 */
export async function checkCache(cacheDir: string): Promise<CheckResult> {
  const quoted = shellQuote(cacheDir);
  const remove = `delete it, the next run fetches afresh: rm -rf ${quoted}`;
  if (!(await fs.stat(cacheDir).catch(() => null))) return ok('cache', `no cache yet at ${cacheDir} (made by the first fetch)`);
  const git = (args: string[]) =>
    runGit(['--git-dir', cacheDir, ...args], {
      cwd: os.tmpdir(),
      env: { PATH: process.env.PATH ?? '', LC_ALL: 'C', GIT_CONFIG_NOSYSTEM: '1' },
      timeoutMs: 120_000,
    });
  try {
    const bare = await git(['rev-parse', '--is-bare-repository']);
    if (bare.code !== 0 || bare.stdout.toString().trim() !== 'true') return fail('cache', `${cacheDir} is not a bare git repository`, remove, 10);
    const counted = await git(['count-objects', '-v']);
    if (counted.code !== 0) return fail('cache', `git count-objects failed in ${cacheDir}: ${counted.stderr.trim().split('\n')[0]}`, remove, 10);
    const counts = parseCounts(counted.stdout.toString());
    const fsck = await git(['fsck', '--connectivity-only', '--no-dangling', '--no-progress']);
    const size = `${formatKib(counts.size + counts['size-pack'])} in ${counts.count} loose objects and ${counts.packs} pack${counts.packs === 1 ? '' : 's'}`;
    if (fsck.code !== 0) {
      const first = (fsck.stderr || fsck.stdout.toString()).trim().split('\n')[0] ?? '';
      return fail('cache', `the cache at ${cacheDir} is damaged (${first.slice(0, 200)})`, remove, 10);
    }
    if (counts.garbage > 0) return warn('cache', `${cacheDir}: ${size}, ${counts.garbage} garbage files`, remove);
    if (counts.count > MANY_LOOSE)
      return warn('cache', `${cacheDir}: ${size}: many loose objects slow reads`, `pack it: git --git-dir ${quoted} gc --quiet (or ${remove})`);
    return ok('cache', `${cacheDir}: ${size}, intact`);
  } catch {
    // No git: the js backend's cache can still be told apart from an empty folder.
    const head = await fs.stat(`${cacheDir}/HEAD`).catch(() => null);
    return head
      ? ok('cache', `${cacheDir} looks like a git repository (git not found: not checked further)`)
      : fail('cache', `${cacheDir} is not a git repository`, remove, 10);
  }
}

function parseCounts(text: string): ObjectCounts {
  const counts: ObjectCounts = { count: 0, size: 0, 'in-pack': 0, packs: 0, 'size-pack': 0, garbage: 0 };
  for (const line of text.split('\n')) {
    const m = /^([a-z-]+): (\d+)$/.exec(line.trim());
    if (m && m[1]! in counts) counts[m[1] as keyof ObjectCounts] = Number(m[2]);
  }
  return counts;
}

function formatKib(kib: number): string {
  return kib >= 1024 * 1024 ? `${(kib / 1024 / 1024).toFixed(1)} GiB` : kib >= 1024 ? `${(kib / 1024).toFixed(1)} MiB` : `${kib} KiB`;
}

/** A path as a POSIX shell word (the fix hint is meant to be pasted). */
function shellQuote(text: string): string {
  return /^[\w./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
