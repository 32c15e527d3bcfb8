import { createHash } from 'node:crypto';
import type { GitBackend } from '../git/GitBackend.js';
import { missingObjects } from '../git/missingObjects.js';
import { serializeTreeObject, type RawTreeEntry } from '../git/treeObject.js';
import { TreeWalker, type StoredObject } from '../git/walkTree.js';
import { RecordCache } from './RecordCache.js';
import type { ReadSet } from './combine/ReadSet.js';
import { Snapshot } from './Snapshot.js';

/** A file that is not a plain one (a symlink, a gitlink, an unusual mode), or one naming an object by id. */
export interface MemoryEntry {
  mode: string;
  content?: string | Uint8Array;
  oid?: string;
}

/** Files by path ("jobs/build-1.json"): their text or bytes, or an entry with its mode. */
export type MemoryFiles = Readonly<Record<string, string | Uint8Array | MemoryEntry>>;

/**
 * A real Snapshot over files held in memory, for tests of plans and readers. The files
 * become git objects (blobs, trees, a commit) that the backends' own tree walker lists,
 * so a plan sees exactly what it would see on a git head: invalid records, files that
 * are no records, symlinks and gitlinks included. `null`: a branch that does not exist.
 */
export function memorySnapshot(files: MemoryFiles | null, cache = new RecordCache(), reads?: ReadSet): Snapshot {
  const objects = new Map<string, StoredObject>();
  const put = (type: string, content: Uint8Array): string => {
    const oid = createHash('sha1').update(`${type} ${content.byteLength}\0`).update(content).digest('hex');
    objects.set(oid, { type, content });
    return oid;
  };
  const read = async (oids: readonly string[]): Promise<Map<string, StoredObject>> => {
    const missing = oids.filter((o) => !objects.has(o));
    if (missing.length) throw missingObjects(missing);
    return new Map(oids.map((o) => [o, objects.get(o)!]));
  };
  const walker = new TreeWalker({
    readObjects: read,
    blobSizes: async (oids) => new Map([...(await read(oids))].map(([o, obj]) => [o, obj.content.byteLength])),
  });
  const source: Pick<GitBackend, 'listTree' | 'readBlobs'> = {
    listTree: (commit, roots, options) => walker.list(commit, roots, options?.all ?? false),
    readBlobs: async (oids) => new Map([...(await read(oids))].map(([o, obj]) => [o, obj.content])),
  };
  if (files === null) return new Snapshot(null, source, cache, reads);
  const tree = put('tree', treeOf(folderOf(files, put), put));
  const commit = put(
    'commit',
    Buffer.from(`tree ${tree}\nauthor test <test@gitfleet.invalid> 0 +0000\ncommitter test <test@gitfleet.invalid> 0 +0000\n\nin memory\n`),
  );
  return new Snapshot(commit, source, cache, reads);
}

interface Folder {
  files: RawTreeEntry[];
  folders: Map<string, Folder>;
}

function folderOf(files: MemoryFiles, put: (type: string, content: Uint8Array) => string): Folder {
  const root: Folder = { files: [], folders: new Map() };
  for (const [path, file] of Object.entries(files)) {
    const parts = path.split('/');
    const name = parts.pop()!;
    let folder = root;
    for (const part of parts) {
      let sub = folder.folders.get(part);
      if (!sub) folder.folders.set(part, (sub = { files: [], folders: new Map() }));
      folder = sub;
    }
    const entry: MemoryEntry = typeof file === 'string' || file instanceof Uint8Array ? { mode: '100644', content: file } : file;
    const content = typeof entry.content === 'string' ? Buffer.from(entry.content, 'utf8') : (entry.content ?? new Uint8Array());
    folder.files.push({ mode: entry.mode, name: Buffer.from(name, 'utf8'), oid: entry.oid ?? put('blob', content) });
  }
  return root;
}

function treeOf(folder: Folder, put: (type: string, content: Uint8Array) => string): Buffer {
  const folders = [...folder.folders].map(
    ([name, sub]): RawTreeEntry => ({ mode: '40000', name: Buffer.from(name, 'utf8'), oid: put('tree', treeOf(sub, put)) }),
  );
  return serializeTreeObject([...folder.files, ...folders]);
}
