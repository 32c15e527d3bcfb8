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
  // An array, not a map by name: a hostile tree may hold a name twice, and both stay.
  let entries: RawTreeEntry[] = base ? await writer.readTree(base) : [];
  const named = (name: string) => {
    const bytes = Buffer.from(name, 'utf8');
    return (e: RawTreeEntry) => e.name.equals(bytes);
  };
  const without = (name: string) => entries.filter((e) => !named(name)(e));
  const byChild = new Map<string, FileChange[]>();
  for (const change of changes) {
    const rest = change.path.slice(prefix.length);
    const slash = rest.indexOf('/');
    if (slash < 0) {
      entries = without(rest);
      if (change.content !== null) entries.push({ mode: '100644', name: Buffer.from(rest, 'utf8'), oid: await writer.writeBlob(change.content) });
    } else {
      const child = rest.slice(0, slash);
      byChild.set(child, [...(byChild.get(child) ?? []), change]);
    }
  }
  for (const [child, childChanges] of byChild) {
    const existing = entries.filter(named(child));
    const folder = existing.find((e) => entryType(e.mode) === 'tree');
    // Deleting inside a folder that is not one (a file, a symlink) changes nothing.
    if (!folder && existing.length > 0 && childChanges.every((c) => c.content === null)) continue;
    const oid = await rebuild(writer, folder?.oid ?? null, `${prefix}${child}/`, childChanges);
    entries = without(child);
    if (oid !== null) entries.push({ mode: '40000', name: Buffer.from(child, 'utf8'), oid });
  }
  if (entries.length === 0) return null;
  return writer.writeTree(entries);
}
