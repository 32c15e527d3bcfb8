import type { FileChange } from './GitBackend.js';
import { entryType, type RawTreeEntry } from './treeObject.js';

export interface TreeWriter {
  /** The entries of a tree, byte for byte (treeObject.ts). */
  readTree(oid: string): Promise<RawTreeEntry[]>;
  writeTree(entries: RawTreeEntry[]): Promise<string>;
  writeBlob(blob: Uint8Array): Promise<string>;
}

/**
 * Applies file changes to a tree and writes only the trees on the changed paths; every
 * other subtree is reused by id, and every entry it does not change (whatever its name
 * or mode: a symlink, a gitlink, a name git refuses) is written back byte for byte.
 * Returns the new root tree id. Empty folders vanish, as in git.
 */
export async function buildTree(writer: TreeWriter, base: string | null, changes: readonly FileChange[]): Promise<string> {
  const root = await rebuild(writer, base, '', changes);
  return root ?? writer.writeTree([]);
}

async function rebuild(writer: TreeWriter, base: string | null, prefix: string, changes: readonly FileChange[]): Promise<string | null> {
  const entries = new Map<string, RawTreeEntry>();
  const key = (name: string) => Buffer.from(name, 'utf8').toString('latin1');
  // A duplicated name (only a hostile tree has one) keeps its first entry.
  if (base) for (const e of await writer.readTree(base)) if (!entries.has(e.name.toString('latin1'))) entries.set(e.name.toString('latin1'), e);
  const byChild = new Map<string, FileChange[]>();
  for (const change of changes) {
    const rest = change.path.slice(prefix.length);
    const slash = rest.indexOf('/');
    if (slash < 0) {
      if (change.content === null) entries.delete(key(rest));
      else entries.set(key(rest), { mode: '100644', name: Buffer.from(rest, 'utf8'), oid: await writer.writeBlob(change.content) });
    } else {
      const child = rest.slice(0, slash);
      byChild.set(child, [...(byChild.get(child) ?? []), change]);
    }
  }
  for (const [child, childChanges] of byChild) {
    const existing = entries.get(key(child));
    // Deleting inside a folder that is not one (a file, a symlink) changes nothing.
    if (existing && entryType(existing.mode) !== 'tree' && childChanges.every((c) => c.content === null)) continue;
    const oid = await rebuild(writer, existing && entryType(existing.mode) === 'tree' ? existing.oid : null, `${prefix}${child}/`, childChanges);
    if (oid === null) entries.delete(key(child));
    else entries.set(key(child), { mode: '40000', name: Buffer.from(child, 'utf8'), oid });
  }
  if (entries.size === 0) return null;
  return writer.writeTree([...entries.values()]);
}
