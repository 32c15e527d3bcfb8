import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { headOf } from './fleetRemote.js';
import { tempDir } from './tempDir.js';

/** Deletes files straight in the bare repository, as another writer with push access would. */
export function removeFiles(bareDir: string, files: readonly string[], branch = 'main'): string {
  const env = { ...process.env, GIT_INDEX_FILE: path.join(tempDir('gitfleet-index-'), 'index') };
  const git = (args: string[], input?: string) =>
    execFileSync('git', ['--git-dir', bareDir, ...args], { env, input })
      .toString()
      .trim();
  const parent = headOf(bareDir, branch);
  if (!parent) throw new Error(`no branch ${branch}`);
  git(['read-tree', parent]);
  // Mode 0 removes an entry; --index-info needs no work tree (the repository is bare).
  git(['update-index', '--index-info'], files.map((f) => `0 ${'0'.repeat(40)}\t${f}\n`).join(''));
  const tree = git(['write-tree']);
  const commit = git(['-c', 'user.name=planter', '-c', 'user.email=p@example.invalid', 'commit-tree', tree, '-p', parent, '-m', 'remove']);
  git(['update-ref', `refs/heads/${branch}`, commit]);
  return commit;
}

/** The bytes of a file at the branch head of a bare repository, or null. */
export function fileAt(bareDir: string, file: string, branch = 'main'): Buffer | null {
  try {
    return execFileSync('git', ['--git-dir', bareDir, 'show', `${branch}:${file}`], { stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null;
  }
}
