import { execFileSync } from 'node:child_process';
import { headOf } from './fleetRemote.js';

/** One entry of a hand-built tree: any name git stores (no NUL, no '/'), any mode. */
export interface RawEntry {
  /** Path segments joined by '/'; each segment may hold bytes git's porcelain refuses. */
  path: string;
  /** 100644 (default), 100755, 120000 (symlink: content is the target), 160000 (gitlink: oid). */
  mode?: '100644' | '100755' | '120000' | '160000';
  content?: string | Buffer;
  /** For gitlinks: the commit it names (need not exist). */
  oid?: string;
}

interface Node {
  mode: string;
  oid?: string;
  children?: Map<string, Node>;
}

/**
 * Commits a tree built object by object (git hash-object --literally), as an attacker with
 * push access could: names `git update-index` refuses, symlinks, gitlinks and executable
 * files land in the branch exactly as given, on top of what the branch already holds.
 * Returns the new commit.
 */
export function plantRawTree(bareDir: string, entries: readonly RawEntry[], branch = 'main'): string {
  const git = (args: string[], input?: string | Buffer) =>
    execFileSync('git', ['--git-dir', bareDir, ...args], { input, maxBuffer: 256 * 1024 * 1024 });
  const root: Node = { mode: '40000', children: new Map() };
  const parent = headOf(bareDir, branch);
  if (parent) {
    for (const record of git(['ls-tree', '-r', '-z', '--full-tree', parent]).toString('latin1').split('\0')) {
      if (!record) continue;
      const tab = record.indexOf('\t');
      const [mode, , oid] = record.slice(0, tab).split(' ');
      insert(root, Buffer.from(record.slice(tab + 1), 'latin1').toString('utf8'), { mode: mode!, oid: oid! });
    }
  }
  for (const e of entries) {
    const mode = e.mode ?? '100644';
    const oid = mode === '160000' ? e.oid! : git(['hash-object', '-w', '--stdin'], e.content ?? '').toString().trim();
    insert(root, e.path, { mode, oid });
  }
  const tree = writeTree(root, (body) => git(['hash-object', '-t', 'tree', '-w', '--literally', '--stdin'], body).toString().trim());
  const commit = git(['-c', 'user.name=planter', '-c', 'user.email=p@example.invalid', 'commit-tree', tree, ...(parent ? ['-p', parent] : []), '-m', 'plant raw entries'])
    .toString()
    .trim();
  git(['update-ref', `refs/heads/${branch}`, commit]);
  return commit;
}

function insert(root: Node, path: string, leaf: Node): void {
  const parts = path.split('/');
  let node = root;
  for (const part of parts.slice(0, -1)) {
    let next = node.children!.get(part);
    if (!next || !next.children) {
      next = { mode: '40000', children: new Map() };
      node.children!.set(part, next);
    }
    node = next;
  }
  node.children!.set(parts.at(-1)!, leaf);
}

// Git sorts tree entries by name, a folder's name compared as if it ended in '/'.
function writeTree(node: Node, hash: (body: Buffer) => string): string {
  const rows = [...node.children!].map(([name, child]) => ({
    name,
    key: Buffer.from(child.children ? `${name}/` : name, 'utf8'),
    mode: child.children ? '40000' : child.mode,
    oid: child.children ? writeTree(child, hash) : child.oid!,
  }));
  rows.sort((a, b) => Buffer.compare(a.key, b.key));
  return hash(Buffer.concat(rows.flatMap((r) => [Buffer.from(`${r.mode} ${r.name}\0`, 'utf8'), Buffer.from(r.oid, 'hex')])));
}
