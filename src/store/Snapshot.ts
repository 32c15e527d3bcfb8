import type { GitBackend, TreeEntry } from '../git/GitBackend.js';
import { missingObjects } from '../git/missingObjects.js';
import { MAX_RECORD_BYTES, type RecordKind, type RecordTypes } from '../schema/recordKinds.js';
import type { FleetSettings, Job, Message, ReadReceipts, ServerStatus, WebhookNotifications } from '../schema/types.js';
import { parseRecordFile, tooLarge, type ParsedFile } from './parseRecordFile.js';
import type { RecordCache } from './RecordCache.js';
import type { ReadSet } from './combine/ReadSet.js';
import { type ArchiveOptions, classifyPath, RECORD_ROOTS, recordPath } from './recordPaths.js';

export interface InvalidFile {
  path: string;
  reason: string;
  kind?: RecordKind;
}

export interface SnapshotContents {
  commit: string | null;
  fleet: FleetSettings | null;
  status: ServerStatus[];
  jobs: Job[];
  messages: Message[];
  archived: Message[];
  /** Finished jobs moved to jobs/archive/YYYY-MM/ by the coordinator. */
  archivedJobs: Job[];
  receipts: ReadReceipts[];
  notifications: WebhookNotifications[];
  invalid: InvalidFile[];
}

export interface ListResult<T> {
  records: T[];
  invalid: InvalidFile[];
}

type Root = (typeof RECORD_ROOTS)[number];
const ROOT_OF: Record<RecordKind, Root> = {
  fleet: 'fleet.json',
  coordinator: 'coordinator.json',
  status: 'status',
  job: 'jobs',
  message: 'messages',
  receipts: 'messages',
  notifications: 'messages',
};
const READ_BATCH = 2000;
/**
 * The only folder outside the record roots a plan may ask about: the workflows of
 * `gitfleet init --workflows` (ChangeSet's doc paths), written only when absent.
 */
const WORKFLOWS_ROOT = '.github';

/**
 * The fleet repository at one commit, read lazily: a folder is listed the first time a
 * plan asks for it, a file is read and validated the first time it is needed, and
 * parsed records are shared through the RecordCache. Invalid files never throw; they
 * are left out of results and reported in `invalid`. So are entries that are not plain
 * files (symlinks, gitlinks, names git refuses: see TreeEntry.unexpected), whichever
 * backend listed them. A blob the local cache cannot return is cache damage, never an
 * invalid record: reads throw CacheCorruptError (the store rebuilds the cache once).
 */
export class Snapshot {
  readonly #roots = new Map<Root | typeof WORKFLOWS_ROOT, Promise<Map<string, TreeEntry>>>();
  #tree: Promise<TreeEntry[]> | undefined;

  constructor(
    readonly commit: string | null,
    private readonly source: Pick<GitBackend, 'listTree' | 'readBlobs'>,
    private readonly cache: RecordCache,
    /** Where the store notes what a plan read (for folding; see combine/ReadSet.ts). */
    private readonly reads?: ReadSet,
  ) {}

  /** One record, or undefined when it is absent or invalid. */
  async get<K extends RecordKind>(kind: K, id?: string, options: ArchiveOptions = {}): Promise<RecordTypes[K] | undefined> {
    const result = await this.inspect(kind, id, options);
    return result?.ok ? result.value : undefined;
  }

  /** One record with the reason it is invalid, or undefined when absent. */
  async inspect<K extends RecordKind>(kind: K, id?: string, options: ArchiveOptions = {}): Promise<ParsedFile<K> | undefined> {
    const root = await this.#root(ROOT_OF[kind]);
    // An archived record is in its shard (layout 2) or, in a repository not (yet fully)
    // migrated, flat in its month: unless the caller says which, look in both.
    const layouts = options.archiveMonth === undefined || options.sharded !== undefined ? [options.sharded] : [true, false];
    const paths = layouts.map((sharded) => recordPath(kind, id, { ...options, sharded }));
    for (const p of paths) this.reads?.path(p);
    const entry = paths.map((p) => root.get(p)).find((e) => e !== undefined);
    if (!entry) return undefined;
    if (entry.unexpected) return { ok: false, kind, reason: `unexpected file: ${entry.unexpected}` } as ParsedFile<K>;
    const [parsed] = await this.#load([{ entry, kind, id: id ?? null }]);
    return parsed as ParsedFile<K>;
  }

  async has(kind: RecordKind, id?: string): Promise<boolean> {
    const p = recordPath(kind, id);
    this.reads?.path(p);
    return (await this.#root(ROOT_OF[kind])).has(p);
  }

  /** Every record of a kind (for messages and jobs: the live ones, or the archived ones). */
  async list<K extends RecordKind>(kind: K, options: { archived?: boolean } = {}): Promise<ListResult<RecordTypes[K]>> {
    const wanted: { entry: TreeEntry; kind: K; id: string | null }[] = [];
    const invalid: InvalidFile[] = [];
    this.reads?.broad();
    for (const entry of (await this.#root(ROOT_OF[kind])).values()) {
      const c = classifyPath(entry.path);
      if (c.type !== 'record' || c.kind !== kind) continue;
      if ((kind === 'message' || kind === 'job') && (c.month !== undefined) !== (options.archived ?? false)) continue;
      if (entry.unexpected) invalid.push({ path: entry.path, kind, reason: `unexpected file: ${entry.unexpected}` });
      else wanted.push({ entry, kind, id: c.id });
    }
    const parsed = await this.#load(wanted);
    const records: RecordTypes[K][] = [];
    parsed.forEach((p, i) => {
      if (p.ok) records.push(p.value as RecordTypes[K]);
      else invalid.push({ path: wanted[i]!.entry.path, kind, reason: p.reason });
    });
    return { records, invalid };
  }

  /** The tree entry (blob id, size) at a path, if the file exists. */
  async entry(path: string): Promise<TreeEntry | undefined> {
    const top = path.split('/')[0] as Root | typeof WORKFLOWS_ROOT;
    this.reads?.path(path);
    if (!RECORD_ROOTS.includes(top as Root) && top !== WORKFLOWS_ROOT) return undefined;
    return (await this.#root(top)).get(path);
  }

  /**
   * The bytes of files, for exporters that hand records on unparsed (the dashboard
   * validates them itself). Files whose size is known to exceed `maxBytes` are not read.
   */
  async readFiles(paths: readonly string[], maxBytes: number): Promise<Map<string, Uint8Array | { tooLarge: number }>> {
    const entries: TreeEntry[] = [];
    for (const p of paths) {
      const entry = await this.entry(p);
      if (entry) entries.push(entry);
    }
    // Entries that are not plain files (a gitlink names a commit the cache never holds) are skipped there.
    return this.readEntries(entries, maxBytes);
  }

  /**
   * Every entry of the whole tree, records or not, with the ones that are not plain files
   * marked `unexpected`: for readers of a foreign layout (the Build importer, and the
   * checks that recognise one). Listed once per snapshot.
   */
  tree(): Promise<TreeEntry[]> {
    this.reads?.broad();
    this.#tree ??= this.commit === null ? Promise.resolve([]) : this.source.listTree(this.commit, '*', { all: true });
    this.#tree.catch(() => {
      this.#tree = undefined;
    });
    return this.#tree;
  }

  /**
   * The bytes of entries listed by tree(), any path; entries known (or found) to exceed
   * `maxBytes` are not returned, only their size; entries that are not plain files are skipped.
   */
  async readEntries(entries: readonly TreeEntry[], maxBytes: number): Promise<Map<string, Uint8Array | { tooLarge: number }>> {
    const out = new Map<string, Uint8Array | { tooLarge: number }>();
    const wanted: TreeEntry[] = [];
    for (const e of entries) {
      if (e.unexpected) continue;
      if (e.size !== null && e.size > maxBytes) out.set(e.path, { tooLarge: e.size });
      else wanted.push(e);
    }
    for (let start = 0; start < wanted.length; start += READ_BATCH) {
      const batch = wanted.slice(start, start + READ_BATCH);
      const blobs = await this.source.readBlobs([...new Set(batch.map((e) => e.oid))]);
      for (const e of batch) {
        const content = blobs.get(e.oid);
        if (!content) throw missingObjects([e.oid]);
        out.set(e.path, content.byteLength > maxBytes ? { tooLarge: content.byteLength } : content);
      }
    }
    return out;
  }

  /**
   * Paths of every file under a record root, records or not. `loose`: the plan's writes
   * do not depend on which files were added or removed since (it reads each one it uses
   * by its exact path), so the listing does not count as a read of the whole folder and
   * the transaction can still be folded by another writer (combine/ReadSet.ts). An
   * agent's heartbeat counts the fleet and looks for new messages this way.
   */
  async paths(root: Root, options: { loose?: boolean } = {}): Promise<string[]> {
    if (!options.loose) this.reads?.broad();
    return [...(await this.#root(root)).keys()];
  }

  /**
   * Everything: all records of every kind, and every invalid or unexpected file.
   * `archives: false` leaves out the archived messages and jobs (readers of the present).
   */
  async read(options: { archives?: boolean } = {}): Promise<SnapshotContents> {
    this.reads?.broad();
    const archives = options.archives ?? true;
    const none = { records: [], invalid: [] };
    const [fleet, status, jobs, messages, archived, archivedJobs, receipts, notifications] = await Promise.all([
      this.inspect('fleet'),
      this.list('status'),
      this.list('job'),
      this.list('message'),
      archives ? this.list('message', { archived: true }) : none,
      archives ? this.list('job', { archived: true }) : none,
      this.list('receipts'),
      this.list('notifications'),
    ]);
    const invalid: InvalidFile[] = [];
    if (fleet && !fleet.ok) invalid.push({ path: 'fleet.json', kind: 'fleet', reason: fleet.reason });
    for (const r of [status, jobs, messages, archived, archivedJobs, receipts, notifications]) invalid.push(...r.invalid);
    const reported = new Set(invalid.map((i) => i.path));
    for (const root of RECORD_ROOTS) {
      for (const entry of (await this.#root(root)).values()) {
        if (reported.has(entry.path)) continue;
        const c = classifyPath(entry.path);
        // Every entry that is not a plain file is reported, wherever it sits (a gitlink in status/, a symlink README.md).
        if (entry.unexpected) invalid.push({ path: entry.path, reason: `unexpected file: ${entry.unexpected}` });
        else if (c.type === 'unexpected') invalid.push({ path: entry.path, reason: `unexpected file: ${c.reason}` });
        else continue;
        reported.add(entry.path);
      }
    }
    invalid.sort((a, b) => a.path.localeCompare(b.path));
    return {
      commit: this.commit,
      fleet: fleet?.ok ? fleet.value : null,
      status: status.records,
      jobs: jobs.records,
      messages: messages.records,
      archived: archived.records,
      archivedJobs: archivedJobs.records,
      receipts: receipts.records,
      notifications: notifications.records,
      invalid,
    };
  }

  #root(root: Root | typeof WORKFLOWS_ROOT): Promise<Map<string, TreeEntry>> {
    let listing = this.#roots.get(root);
    if (!listing) {
      listing =
        this.commit === null
          ? Promise.resolve(new Map())
          : this.source.listTree(this.commit, [root], { all: true }).then((entries) => new Map(entries.map((e) => [e.path, e])));
      // A failed listing must not poison the snapshot for the next caller.
      listing.catch(() => this.#roots.delete(root));
      this.#roots.set(root, listing);
    }
    return listing;
  }

  async #load<K extends RecordKind>(items: { entry: TreeEntry; kind: K; id: string | null }[]): Promise<ParsedFile<K>[]> {
    const results: (ParsedFile<K> | undefined)[] = items.map(({ entry, kind, id }) => {
      const cached = this.cache.get(cacheKey(kind, id, entry.oid));
      if (cached) return cached as ParsedFile<K>;
      // Known to be too large: say so without reading a byte of it.
      if (entry.size !== null && entry.size > MAX_RECORD_BYTES[kind]) return tooLarge(kind, entry.size);
      return undefined;
    });
    const missing = [...new Set(items.filter((_, i) => results[i] === undefined).map((it) => it.entry.oid))];
    for (let start = 0; start < missing.length; start += READ_BATCH) {
      const batch = new Set(missing.slice(start, start + READ_BATCH));
      const blobs = await this.source.readBlobs([...batch]);
      items.forEach((item, i) => {
        // Blobs of a later batch are read with it.
        if (results[i] !== undefined || !batch.has(item.entry.oid)) return;
        const content = blobs.get(item.entry.oid);
        // A backend must throw for a blob it cannot return; never call a record invalid for it.
        if (content === undefined) throw missingObjects([item.entry.oid]);
        const parsed = parseRecordFile(item.kind, item.id, content);
        this.cache.set(cacheKey(item.kind, item.id, item.entry.oid), parsed, content.byteLength);
        results[i] = parsed;
      });
    }
    return results.map((r, i) => {
      if (!r) throw missingObjects([items[i]!.entry.oid]);
      return r;
    });
  }
}

function cacheKey(kind: RecordKind, id: string | null, oid: string): string {
  return `${kind}:${id ?? ''}:${oid}`;
}
