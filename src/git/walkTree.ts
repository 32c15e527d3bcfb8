import { CacheCorruptError } from '../errors/index.js';
import { parseCommitObject } from './commitObject.js';
import type { ChangedPath, TreeEntry } from './GitBackend.js';
import { displayMode, entryProblem, entryType, MalformedTreeError, parseTreeObject, type RawTreeEntry } from './treeObject.js';

export interface StoredObject {
  type: string;
  content: Uint8Array;
}

/** How a backend hands the walker objects of its local cache. */
export interface ObjectSource {
  /** The objects, by id; throws CacheCorruptError for any the cache does not hold. */
  readObjects(oids: readonly string[]): Promise<Map<string, StoredObject>>;
  /** Sizes of blobs without reading them, where the backend can tell (else absent). */
  blobSizes?(oids: readonly string[]): Promise<Map<string, number>>;
}

export type WalkChange = ChangedPath & { status: 'A' | 'M' | 'D' };

/** Record folders are at most three levels deep; anything much deeper is reported, not walked. */
const MAX_DEPTH = 8;

type Listing = { entries: RawTreeEntry[]; problem?: undefined } | { entries: []; problem: string };

/**
 * Tree walks shared by both backends, over raw tree objects (treeObject.ts), so both
 * list the same entries for the same tree, whatever it holds. Parsed trees are kept in
 * `cache` (trees never change).
 */
export class TreeWalker {
  readonly #cache = new Map<string, Listing>();
  readonly #commits = new Map<string, string>();

  constructor(private readonly source: ObjectSource) {}

  async commitTree(commit: string): Promise<string> {
    const known = this.#commits.get(commit);
    if (known) return known;
    const obj = (await this.source.readObjects([commit])).get(commit)!;
    const tree = obj.type === 'commit' ? parseCommitObject(obj.content).tree : null;
    if (tree) {
      if (this.#commits.size > 1000) this.#commits.clear();
      this.#commits.set(commit, tree);
      return tree;
    }
    throw new CacheCorruptError(`the local git cache holds no commit ${commit.slice(0, 12)}`, {
      hint: 'delete the cache directory (see --cache-dir) and run again',
    });
  }

  /**
   * Every entry under the top-level names `roots` (`'*'`: the whole tree), recursively. With `all`, entries
   * gitfleet may not read (symlinks, gitlinks, unsafe names, unusual modes, folders
   * that are not trees) are listed too, with the reason in `unexpected`; without, only
   * plain files are.
   */
  async list(commit: string, roots: readonly string[] | '*', all: boolean): Promise<TreeEntry[]> {
    const out: TreeEntry[] = [];
    let level: { path: string; oid: string; depth: number }[] = [];
    const top = await this.#trees([await this.commitTree(commit)]);
    for (const { path, entry, problem } of named(top.values().next().value!, '')) {
      if (roots !== '*' && !roots.includes(path)) continue;
      this.#place(path, entry, problem, 1, out, level, all);
    }
    while (level.length > 0) {
      const trees = await this.#trees(level.map((l) => l.oid));
      const next: typeof level = [];
      for (const dir of level) {
        const listing = trees.get(dir.oid)!;
        if (listing.problem) {
          if (all) out.push({ path: dir.path, oid: dir.oid, size: null, mode: '040000', unexpected: listing.problem });
          continue;
        }
        for (const { path, entry, problem } of named(listing, `${dir.path}/`)) this.#place(path, entry, problem, dir.depth + 1, out, next, all);
      }
      level = next;
    }
    const blobs = out.filter((e) => !e.unexpected).map((e) => e.oid);
    if (blobs.length && this.source.blobSizes) {
      const sizes = await this.source.blobSizes([...new Set(blobs)]);
      for (const e of out) if (!e.unexpected) e.size = sizes.get(e.oid) ?? null;
    }
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /**
   * Plain files that differ between two commits; a file that stops being one counts as
   * deleted. With `all`, entries that are not plain files count as files (for history).
   */
  async diff(from: string, to: string, all = false): Promise<WalkChange[]> {
    const changed: WalkChange[] = [];
    const [a, b] = await Promise.all([this.commitTree(from), this.commitTree(to)]);
    await this.#diff(a, b, '', 0, changed, all);
    return changed.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
  }

  #place(
    path: string,
    entry: RawTreeEntry,
    problem: string | undefined,
    depth: number,
    out: TreeEntry[],
    next: { path: string; oid: string; depth: number }[],
    all: boolean,
  ): void {
    const mode = displayMode(entry.mode);
    if (problem) {
      if (all) out.push({ path, oid: entry.oid, size: null, mode, unexpected: problem });
    } else if (entryType(entry.mode) === 'tree') {
      if (depth <= MAX_DEPTH) next.push({ path, oid: entry.oid, depth });
      else if (all) out.push({ path, oid: entry.oid, size: null, mode, unexpected: 'a folder nested too deep' });
    } else {
      out.push({ path, oid: entry.oid, size: null, mode });
    }
  }

  async #diff(a: string | null, b: string | null, prefix: string, depth: number, changed: WalkChange[], all: boolean): Promise<void> {
    if (a === b || depth > MAX_DEPTH) return;
    const trees = await this.#trees([a, b].filter((o): o is string => o !== null));
    const side = (oid: string | null) => new Map(oid ? named(trees.get(oid)!, prefix).map((n) => [n.path, n]) : []);
    const left = side(a);
    const right = side(b);
    for (const path of new Set([...left.keys(), ...right.keys()])) {
      const l = left.get(path);
      const r = right.get(path);
      if (l && r && l.entry.oid === r.entry.oid && l.entry.mode === r.entry.mode && l.problem === r.problem) continue;
      const tree = (n: typeof l) => (n && !n.problem && entryType(n.entry.mode) === 'tree' ? n.entry.oid : null);
      const file = (n: typeof l) => (n && (n.problem ? all : entryType(n.entry.mode) !== 'tree') ? n.entry.oid : null);
      if (tree(l) || tree(r)) await this.#diff(tree(l), tree(r), `${path}/`, depth + 1, changed, all);
      if (file(r)) changed.push({ path, oid: file(r), status: file(l) ? 'M' : 'A' });
      else if (file(l)) changed.push({ path, oid: null, status: 'D' });
    }
  }

  async #trees(oids: readonly string[]): Promise<Map<string, Listing>> {
    const out = new Map<string, Listing>();
    const wanted = [...new Set(oids.filter((o) => !this.#cache.has(o)))];
    if (wanted.length) {
      const objects = await this.source.readObjects(wanted);
      if (this.#cache.size + wanted.length > 20_000) this.#cache.clear();
      for (const oid of wanted) this.#cache.set(oid, toListing(objects.get(oid)!));
    }
    for (const oid of oids) out.set(oid, this.#cache.get(oid)!);
    return out;
  }
}

function toListing(obj: StoredObject): Listing {
  if (obj.type !== 'tree') return { entries: [], problem: `a folder entry that is a ${obj.type.slice(0, 10)} object, not a tree` };
  try {
    return { entries: parseTreeObject(obj.content) };
  } catch (error) {
    if (error instanceof MalformedTreeError) return { entries: [], problem: `a folder git cannot parse (${error.message})` };
    throw error;
  }
}

/** Entries with their full path and what is wrong with them; a name that appears twice is wrong too. */
function named(listing: Listing, prefix: string): { path: string; entry: RawTreeEntry; problem: string | undefined }[] {
  const counts = new Map<string, number>();
  for (const e of listing.entries) counts.set(e.name.toString('latin1'), (counts.get(e.name.toString('latin1')) ?? 0) + 1);
  return listing.entries.map((entry) => ({
    path: `${prefix}${entry.name.toString('utf8')}`,
    entry,
    problem: entryProblem(entry) ?? (counts.get(entry.name.toString('latin1'))! > 1 ? 'a name that appears twice in its folder' : undefined),
  }));
}
