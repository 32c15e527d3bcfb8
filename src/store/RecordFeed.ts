import { missingObjects } from '../git/missingObjects.js';
import { MAX_RECORD_BYTES, type RecordKind } from '../schema/recordKinds.js';
import type { CacheReader } from './CacheRecovery.js';
import { parseRecordFile, tooLarge, type ParsedFile } from './parseRecordFile.js';
import { classifyPath } from './recordPaths.js';

/** One record file the feed knows at its commit. */
export interface FeedEntry {
  path: string;
  kind: RecordKind;
  /** The id in the file name (null for fleet.json and coordinator.json). */
  id: string | null;
  /** The archive month of an archived job or message. */
  month?: string;
  oid: string;
  size: number | null;
  /** The parsed record, or why it is invalid; absent for an archive the feed only locates. */
  record?: ParsedFile;
}

/** A record file that changed since the feed's last commit: its new entry, or `oid: null` when it is gone. */
export type FeedChange = FeedEntry | (Omit<FeedEntry, 'oid' | 'record'> & { oid: null; record?: undefined });

export interface FeedRead {
  /** full: everything was listed (first read, or the last commit is gone after a history rewrite). */
  mode: 'full' | 'incremental' | 'unchanged';
  commit: string;
  /** Files under the roots that the diff or the listing named, records or not. */
  files: number;
  changes: FeedChange[];
}

export interface RecordFeedOptions {
  /** What to follow: top-level files or folders (`jobs`, `status/`, `fleet.json`) or folders below them (`messages/receipts`). */
  roots: readonly string[];
  /**
   * Archived jobs and messages: read and parse them (`read`, the default), only locate
   * them (`locate`: path and blob id; `load()` reads them on demand), or leave them out.
   */
  archives?: 'read' | 'locate' | 'ignore';
  /** Runs each read with exclusive use of the cache (the store's lock), for a cache other writers share. */
  exclusive?: <T>(fn: () => Promise<T>) => Promise<T>;
}

const READ_BATCH = 5000;

/**
 * The records under some roots, read incrementally: the first read lists the roots at
 * the head and parses every record; each later read diffs the trees of the last commit
 * it saw and the new head (by blob id) and reads only the blobs that changed. When the
 * last commit is gone (a history rewrite, a pruned cache) it lists everything again and
 * reports what vanished. A read that fails changes nothing: the next one starts from
 * the same commit. As elsewhere, a blob the cache cannot return is cache damage
 * (CacheCorruptError), never an invalid record.
 */
export class RecordFeed {
  #commit: string | null = null;
  readonly #entries = new Map<string, FeedEntry>();
  readonly #prefixes: string[];
  readonly #tops: string[];

  constructor(
    private readonly reader: CacheReader,
    private readonly options: RecordFeedOptions,
  ) {
    const roots = options.roots.map((r) => r.replace(/\/+$/, ''));
    this.#prefixes = roots;
    this.#tops = [...new Set(roots.map((r) => r.split('/')[0]!))];
  }

  /** The commit of the last read, or null before the first. */
  get commit(): string | null {
    return this.#commit;
  }

  /** The record files at `commit`, by path. */
  get entries(): ReadonlyMap<string, FeedEntry> {
    return this.#entries;
  }

  /** Brings the feed to `head` and says what changed since the last read. */
  async read(head: string): Promise<FeedRead> {
    if (head === this.#commit) return { mode: 'unchanged', commit: head, files: 0, changes: [] };
    return this.#exclusive(async () => {
      const since = this.#commit;
      // A diff from a commit the cache no longer has (a compaction rewrote history) fails: list everything.
      let named =
        since === null
          ? null
          : await this.reader.changedPaths(since, head).then(
              (list) => list.filter((c) => this.#follows(c.path)).map((c) => ({ ...c, size: null as number | null })),
              () => null,
            );
      const mode = named === null ? 'full' : 'incremental';
      if (named === null) {
        named = (await this.reader.listTree(head, this.#tops))
          .filter((e) => this.#follows(e.path))
          .map((e) => ({ path: e.path, oid: e.oid as string | null, size: e.size }));
        const present = new Set(named.map((n) => n.path));
        for (const path of this.#entries.keys()) if (!present.has(path)) named.push({ path, oid: null, size: null });
      }
      const changes: FeedChange[] = [];
      const toRead: FeedEntry[] = [];
      for (const item of named) {
        const c = classifyPath(item.path);
        if (c.type !== 'record') continue;
        const archived = c.month !== undefined;
        if (archived && this.options.archives === 'ignore') continue;
        const where = { path: item.path, kind: c.kind, id: c.id, ...(archived ? { month: c.month } : {}) };
        if (item.oid === null) {
          if (this.#entries.has(item.path)) changes.push({ ...where, oid: null, size: null });
          continue;
        }
        if (this.#entries.get(item.path)?.oid === item.oid) continue;
        const entry: FeedEntry = { ...where, oid: item.oid, size: item.size };
        if (!archived || this.options.archives !== 'locate') toRead.push(entry);
        changes.push(entry);
      }
      const parsed = await this.#parse(toRead);
      toRead.forEach((entry, i) => {
        entry.record = parsed[i];
      });
      // Everything is read: only now does the feed move on.
      for (const change of changes) {
        if (change.oid === null) this.#entries.delete(change.path);
        else this.#entries.set(change.path, change);
      }
      this.#commit = head;
      return { mode, commit: head, files: named.length, changes };
    });
  }

  /** The records at these paths (reading the ones only located); paths the feed does not hold are left out. */
  async load(paths: Iterable<string>): Promise<Map<string, ParsedFile>> {
    const out = new Map<string, ParsedFile>();
    const wanted: FeedEntry[] = [];
    for (const path of new Set(paths)) {
      const entry = this.#entries.get(path);
      if (entry?.record) out.set(path, entry.record);
      else if (entry) wanted.push(entry);
    }
    if (wanted.length === 0) return out;
    const parsed = await this.#exclusive(() => this.#parse(wanted));
    wanted.forEach((entry, i) => {
      out.set(entry.path, parsed[i]!);
    });
    return out;
  }

  #follows(path: string): boolean {
    return this.#prefixes.some((r) => path === r || path.startsWith(`${r}/`));
  }

  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.options.exclusive ? this.options.exclusive(fn) : fn();
  }

  async #parse(entries: readonly FeedEntry[]): Promise<ParsedFile[]> {
    const out: ParsedFile[] = [];
    for (let start = 0; start < entries.length; start += READ_BATCH) {
      const batch = entries.slice(start, start + READ_BATCH);
      // Known to be too large: said so without reading a byte of it.
      const large = (e: FeedEntry) => e.size !== null && e.size > MAX_RECORD_BYTES[e.kind];
      const oids = [...new Set(batch.filter((e) => !large(e)).map((e) => e.oid))];
      const blobs = oids.length > 0 ? await this.reader.readBlobs(oids) : new Map<string, Uint8Array>();
      for (const e of batch) {
        if (large(e)) {
          out.push(tooLarge(e.kind, e.size!));
          continue;
        }
        const content = blobs.get(e.oid);
        if (!content) throw missingObjects([e.oid]);
        out.push(parseRecordFile(e.kind, e.id, content));
      }
    }
    return out;
  }
}
