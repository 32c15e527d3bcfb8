import type { FileChange } from './GitBackend.js';

export interface TreeItem {
  mode: string;
  path: string;
  oid: string;
  type: 'blob' | 'tree' | 'commit';
}

export interface TreeWriter {
  readTree(oid: string): Promise<readonly { mode: string; path: string; oid: string; type: string }[]>;
  writeTree(tree: TreeItem[]): Promise<string>;
  writeBlob(blob: Uint8Array): Promise<string>;
}

/**
 * Applies file changes to a tree and writes only the trees on the changed paths; every
 * other subtree is reused by id. Returns the new root tree id. Empty folders vanish,
 * as in git.
 */
export async function buildTree(writer: TreeWriter, base: string | null, changes: readonly FileChange[]): Promise<string> {
  const root = await rebuild(writer, base, '', changes);
  return root ?? writer.writeTree([]);
}

async function rebuild(writer: TreeWriter, base: string | null, prefix: string, changes: readonly FileChange[]): Promise<string | null> {
  const entries = new Map<string, TreeItem>();
  if (base) for (const e of await writer.readTree(base)) entries.set(e.path, e as TreeItem);
  const byChild = new Map<string, FileChange[]>();
  for (const change of changes) {
    const rest = change.path.slice(prefix.length);
    const slash = rest.indexOf('/');
    if (slash < 0) {
      if (change.content === null) entries.delete(rest);
      else entries.set(rest, { mode: '100644', path: rest, oid: await writer.writeBlob(change.content), type: 'blob' });
    } else {
      const child = rest.slice(0, slash);
      byChild.set(child, [...(byChild.get(child) ?? []), change]);
    }
  }
  for (const [child, childChanges] of byChild) {
    const existing = entries.get(child);
    const oid = await rebuild(writer, existing?.type === 'tree' ? existing.oid : null, `${prefix}${child}/`, childChanges);
    if (oid === null) entries.delete(child);
    else entries.set(child, { mode: '040000', path: child, oid, type: 'tree' });
  }
  if (entries.size === 0) return null;
  // git orders tree entries by name, comparing a folder as if its name ended in "/".
  const sorted = [...entries.values()].sort((a, b) => compareNames(a, b));
  return writer.writeTree(sorted);
}

function compareNames(a: TreeItem, b: TreeItem): number {
  const an = a.type === 'tree' ? `${a.path}/` : a.path;
  const bn = b.type === 'tree' ? `${b.path}/` : b.path;
  return an < bn ? -1 : an > bn ? 1 : 0;
}
