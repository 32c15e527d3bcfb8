import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { createBareRepo } from '../../src/git/server/createBareRepo.js';
import { GitHttpServer } from '../../src/git/server/GitHttpServer.js';
import { tempDir } from './tempDir.js';

export interface FleetRemote {
  /** The bare repository on disk. */
  bareDir: string;
  /** The same repository over loopback smart HTTP. */
  httpUrl: string;
  server: GitHttpServer;
  /** The branch head as the server sees it (null when the branch does not exist). */
  head(): string | null;
  close(): Promise<void>;
}

/** A real git remote: a bare repository, served by git http-backend on 127.0.0.1. */
export async function startFleetRemote(options: { auth?: { username: string; password: string } } = {}): Promise<FleetRemote> {
  const root = tempDir('gitfleet-remote-');
  const bareDir = path.join(root, 'fleet.git');
  await createBareRepo(bareDir);
  const server = await new GitHttpServer({ projectRoot: root, ...(options.auth ? { auth: options.auth } : {}) }).start();
  return {
    bareDir,
    httpUrl: `${server.url}/fleet.git`,
    server,
    head: () => headOf(bareDir),
    close: () => server.stop(),
  };
}

export function headOf(bareDir: string, branch = 'main'): string | null {
  try {
    return execFileSync('git', ['--git-dir', bareDir, 'rev-parse', '--verify', '--quiet', `refs/heads/${branch}`], {
      encoding: 'utf8',
    }).trim();
  } catch {
    return null;
  }
}

/**
 * Commits files straight into the bare repository, as another writer (or an attacker
 * with push access) would: used to plant hostile files.
 */
export function plantFiles(bareDir: string, files: Record<string, string | Buffer>, branch = 'main'): string {
  const env = { ...process.env, GIT_INDEX_FILE: path.join(tempDir('gitfleet-index-'), 'index') };
  const git = (args: string[], input?: string | Buffer) =>
    execFileSync('git', ['--git-dir', bareDir, ...args], { env, input, maxBuffer: 256 * 1024 * 1024 })
      .toString()
      .trim();
  const parent = headOf(bareDir, branch);
  if (parent) git(['read-tree', parent]);
  for (const [file, content] of Object.entries(files)) {
    const oid = git(['hash-object', '-w', '--stdin'], content);
    git(['update-index', '--add', '--cacheinfo', `100644,${oid},${file}`]);
  }
  const tree = git(['write-tree']);
  const commit = git(['-c', 'user.name=planter', '-c', 'user.email=p@example.invalid', 'commit-tree', tree, ...(parent ? ['-p', parent] : []), '-m', 'plant']);
  git(['update-ref', `refs/heads/${branch}`, commit]);
  return commit;
}
