import type { Snapshot } from '../store/Snapshot.js';
import type { BuildTree } from './BuildTree.js';
import { sourceLimit } from './BuildTree.js';

/**
 * Reads a Build-layout tree from a snapshot: every entry (to report what is not a plain
 * file), and the bytes of only the files the mapping uses, each bounded by its limit
 * (a larger one is known by its size, never read).
 */
export async function readBuildTree(snapshot: Snapshot, branches: readonly string[]): Promise<BuildTree> {
  const entries = await snapshot.tree();
  const files = new Map<string, Uint8Array | { tooLarge: number }>();
  const byLimit = new Map<number, typeof entries>();
  for (const e of entries) {
    const limit = sourceLimit(e.path);
    if (limit === null || e.unexpected) continue;
    const group = byLimit.get(limit) ?? [];
    group.push(e);
    byLimit.set(limit, group);
  }
  for (const [limit, group] of byLimit) {
    for (const [path, content] of await snapshot.readEntries(group, limit)) files.set(path, content);
  }
  return {
    entries: entries.map((e) => ({ path: e.path, size: e.size, ...(e.unexpected ? { unexpected: e.unexpected } : {}) })),
    files,
    branches,
  };
}
