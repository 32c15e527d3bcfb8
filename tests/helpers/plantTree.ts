import { execFileSync } from 'node:child_process';
import { parseTreeObject, serializeTreeObject, type RawTreeEntry } from '../../src/git/treeObject.js';
import { headOf } from './fleetRemote.js';

/** One raw edit of a tree: an entry git itself may refuse to create through its index. */
export interface RawEdit {
  /** The folder the entry goes in ('' for the top), made of plain names. */
  folder: string;
  /** The entry's name: any bytes but NUL ('.git', 'a\\b', 'x/y', '', non-UTF-8). */
  name: string | Buffer;
  /** 100644 (default), 100755, 120000, 160000, 40000 or any unusual mode. */
  mode?: string;
  /** A blob with this content... */
  content?: string | Buffer;
  /** ...or an existing object id (a gitlink's commit, a tree, a blob). */
  oid?: string;
  /** Remove every entry of this name instead. */
  remove?: boolean;
}

/**
 * Commits raw tree entries straight into a bare repository, as a writer with push
 * access could (`git hash-object -t tree --literally` accepts what `update-index`
 * refuses). Entries are added next to what is there; a name may be added twice.
 */
export function plantTreeEntries(bareDir: string, edits: readonly RawEdit[], options: { branch?: string; message?: string } = {}): string {
  const branch = options.branch ?? 'main';
  const git = (args: string[], input?: string | Buffer) => execFileSync('git', ['--git-dir', bareDir, ...args], { input, maxBuffer: 512 * 1024 * 1024 });
  const parent = headOf(bareDir, branch);
  const readTree = (oid: string | null): RawTreeEntry[] => (oid ? parseTreeObject(git(['cat-file', 'tree', oid])) : []);
  const writeTree = (entries: RawTreeEntry[]) =>
    git(['hash-object', '-t', 'tree', '-w', '--literally', '--stdin'], serializeTreeObject(entries)).toString().trim();
  const rootTree = parent
    ? git(['rev-parse', `${parent}^{tree}`])
        .toString()
        .trim()
    : null;

  const edit = (treeOid: string | null, parts: string[], e: RawEdit): string => {
    const entries = readTree(treeOid);
    if (parts.length > 0) {
      const [first, ...rest] = parts;
      const i = entries.findIndex((x) => x.name.toString('utf8') === first && x.mode === '40000');
      const child = edit(i >= 0 ? entries[i]!.oid : null, rest, e);
      if (i >= 0) entries[i] = { ...entries[i]!, oid: child };
      else entries.push({ mode: '40000', name: Buffer.from(first!, 'utf8'), oid: child });
      return writeTree(entries);
    }
    const name = typeof e.name === 'string' ? Buffer.from(e.name, 'utf8') : e.name;
    if (e.remove) return writeTree(entries.filter((x) => !x.name.equals(name)));
    const oid =
      e.oid ??
      git(['hash-object', '-w', '--stdin'], e.content ?? '')
        .toString()
        .trim();
    entries.push({ mode: e.mode ?? '100644', name, oid });
    return writeTree(entries);
  };

  let tree = rootTree;
  for (const e of edits) tree = edit(tree, e.folder ? e.folder.split('/') : [], e);
  const commit = git([
    '-c',
    'user.name=planter',
    '-c',
    'user.email=p@example.invalid',
    'commit-tree',
    tree!,
    ...(parent ? ['-p', parent] : []),
    '-m',
    options.message ?? 'plant raw entries',
  ])
    .toString()
    .trim();
  git(['update-ref', `refs/heads/${branch}`, commit]);
  return commit;
}

/** The raw bytes of the tree at `folder` of the branch head (to check entries survive byte for byte). */
export function rawTreeAt(bareDir: string, folder: string, branch = 'main'): Buffer {
  return execFileSync('git', ['--git-dir', bareDir, 'cat-file', 'tree', `refs/heads/${branch}:${folder}`], { maxBuffer: 64 * 1024 * 1024 });
}
