import type { GitBackend, TreeEntry } from '../git/GitBackend.js';
import { missingObjects } from '../git/missingObjects.js';
import { MAX_RECORD_BYTES } from '../schema/recordKinds.js';
import type { CoordinatorLease, FleetSettings, Job, ServerStatus } from '../schema/types.js';
import { parseRecordFile, tooLarge, type ParsedFile } from '../store/parseRecordFile.js';
import { classifyPath, recordPath } from '../store/recordPaths.js';
import { isTerminal } from '../jobs/jobLifecycle.js';

export interface IndexedJob {
  id: string;
  oid: string;
  job: Job;
}
export interface InvalidJob {
  id: string;
  oid: string;
  reason: string;
}
export interface ObservedServer {
  oid: string;
  status: ServerStatus;
  /** When this coordinator saw the status file change (its own clock), in ms. */
  observedAt: number;
}

export interface RefreshReport {
  mode: 'full' | 'incremental' | 'unchanged';
  changedFiles: number;
  readMs: number;
}

const ROOTS = ['jobs', 'status', 'fleet.json', 'coordinator.json'];
const READ_BATCH = 5000;

/**
 * What the coordinator knows of the repository, kept up to date incrementally: after a
 * full load it only reads the files that changed between the last commit it processed
 * and the new head (git diff-tree), so a tick over 100,000 jobs reads a handful. A
 * heartbeat is "observed" when its status file changes, by this process's clock: a
 * server's own timestamps are not trusted to decide that it is dead.
 */
export class FleetIndex {
  commit: string | null = null;
  readonly jobs = new Map<string, IndexedJob>();
  /** Ids of jobs that are not finished: the only ones a tick has to look at. */
  readonly active = new Set<string>();
  /** Finished live jobs and when they ended (ms): the candidates for the archive. */
  readonly finished = new Map<string, number>();
  readonly invalidJobs = new Map<string, InvalidJob>();
  /** Finished jobs in jobs/archive/: only their place is known until one is needed (a dependency). */
  readonly archived = new Map<string, { path: string; oid: string }>();
  readonly #archivedRead = new Map<string, Job | null>();
  readonly servers = new Map<string, ObservedServer>();
  readonly invalidStatus = new Map<string, string>();
  fleet: FleetSettings | null = null;
  lease: CoordinatorLease | null = null;
  leaseOid: string | null = null;

  /** `backend`: the store's `reader` (reads that rebuild a damaged cache once), or a backend. */
  constructor(private readonly backend: Pick<GitBackend, 'listTree' | 'readBlobs' | 'changedPaths'>) {}

  /** Brings the index to `head`. `observed` seeds observation times (from a saved state). */
  async refresh(head: string, now: number, observed?: ReadonlyMap<string, { oid: string; observedAt: number }>): Promise<RefreshReport> {
    const started = performance.now();
    if (head === this.commit) return { mode: 'unchanged', changedFiles: 0, readMs: 0 };
    let changes: { path: string; oid: string | null; size: number | null }[] | null = null;
    if (this.commit !== null) {
      // A history rewrite (compaction) or a pruned cache loses the old commit: read everything.
      changes = await this.backend.changedPaths(this.commit, head).then(
        (list) => list.filter((c) => ROOTS.some((r) => c.path === r || c.path.startsWith(`${r}/`))).map((c) => ({ ...c, size: null })),
        () => null,
      );
    }
    const mode = changes === null ? 'full' : 'incremental';
    if (changes === null) {
      const entries: TreeEntry[] = await this.backend.listTree(head, ROOTS);
      const present = new Set(entries.map((e) => e.path));
      changes = entries.map((e) => ({ path: e.path, oid: e.oid, size: e.size }));
      for (const id of [...this.jobs.keys(), ...this.invalidJobs.keys()]) if (!present.has(recordPath('job', id))) changes.push({ path: recordPath('job', id), oid: null, size: null });
      for (const [id, where] of this.archived) if (!present.has(where.path)) changes.push({ path: where.path, oid: null, size: null });
      for (const id of new Set([...this.servers.keys(), ...this.invalidStatus.keys()])) if (!present.has(recordPath('status', id))) changes.push({ path: recordPath('status', id), oid: null, size: null });
      if (!present.has('fleet.json') && this.fleet !== null) changes.push({ path: 'fleet.json', oid: null, size: null });
      if (!present.has('coordinator.json') && this.leaseOid !== null) changes.push({ path: 'coordinator.json', oid: null, size: null });
    }
    await this.#apply(changes, now, observed);
    this.commit = head;
    return { mode, changedFiles: changes.length, readMs: performance.now() - started };
  }

  async #apply(changes: { path: string; oid: string | null; size: number | null }[], now: number, observed?: ReadonlyMap<string, { oid: string; observedAt: number }>): Promise<void> {
    const toRead: { path: string; oid: string; kind: 'job' | 'status' | 'fleet' | 'coordinator'; id: string | null; size: number | null }[] = [];
    for (const change of changes) {
      const c = classifyPath(change.path);
      if (c.type !== 'record' || (c.kind !== 'job' && c.kind !== 'status' && c.kind !== 'fleet' && c.kind !== 'coordinator')) continue;
      if (c.kind === 'job' && c.month !== undefined) {
        if (change.oid === null) this.archived.delete(c.id!);
        else this.archived.set(c.id!, { path: change.path, oid: change.oid });
        this.#archivedRead.delete(c.id!);
        continue;
      }
      if (change.oid === null) {
        this.#remove(c.kind, c.id);
        continue;
      }
      if (c.kind === 'job' && (this.jobs.get(c.id!)?.oid === change.oid || this.invalidJobs.get(c.id!)?.oid === change.oid)) continue;
      if (c.kind === 'status' && this.servers.get(c.id!)?.oid === change.oid) continue;
      toRead.push({ path: change.path, oid: change.oid, kind: c.kind, id: c.id, size: change.size });
    }
    for (let i = 0; i < toRead.length; i += READ_BATCH) {
      const batch = toRead.slice(i, i + READ_BATCH);
      const wanted = batch.filter((b) => b.size === null || b.size <= MAX_RECORD_BYTES[b.kind]).map((b) => b.oid);
      const blobs = await this.backend.readBlobs([...new Set(wanted)]);
      for (const item of batch) {
        const content = blobs.get(item.oid);
        const large = item.size !== null && item.size > MAX_RECORD_BYTES[item.kind];
        // A blob the cache cannot return is cache damage (the store's reader rebuilds the
        // cache once), never an invalid job: a tick must not decide on a record it could not read.
        if (!content && !large) throw missingObjects([item.oid]);
        const parsed: ParsedFile = content ? parseRecordFile(item.kind, item.id, content) : tooLarge(item.kind, item.size!);
        this.#set(item, parsed, now, observed);
      }
    }
  }

  #set(item: { oid: string; kind: string; id: string | null }, parsed: ParsedFile, now: number, observed?: ReadonlyMap<string, { oid: string; observedAt: number }>): void {
    const id = item.id ?? '';
    switch (item.kind) {
      case 'job':
        this.jobs.delete(id);
        this.invalidJobs.delete(id);
        this.active.delete(id);
        this.finished.delete(id);
        if (parsed.ok) {
          const job = parsed.value as Job;
          this.jobs.set(id, { id, oid: item.oid, job });
          if (!isTerminal(job)) this.active.add(id);
          else this.finished.set(id, Date.parse(job.updatedAt ?? job.createdAt));
        } else {
          this.invalidJobs.set(id, { id, oid: item.oid, reason: parsed.reason });
        }
        break;
      case 'status':
        if (parsed.ok) {
          const seen = observed?.get(id);
          const observedAt = seen && seen.oid === item.oid ? seen.observedAt : now;
          this.servers.set(id, { oid: item.oid, status: parsed.value as ServerStatus, observedAt });
          this.invalidStatus.delete(id);
        } else {
          // A broken status is not a heartbeat: the server keeps its last good one.
          this.invalidStatus.set(id, parsed.reason);
        }
        break;
      case 'fleet':
        this.fleet = parsed.ok ? (parsed.value as FleetSettings) : null;
        break;
      case 'coordinator':
        this.lease = parsed.ok ? (parsed.value as CoordinatorLease) : null;
        this.leaseOid = item.oid;
        break;
    }
  }

  #remove(kind: string, id: string | null): void {
    if (kind === 'job' && id) {
      this.jobs.delete(id);
      this.invalidJobs.delete(id);
      this.active.delete(id);
      this.finished.delete(id);
    } else if (kind === 'status' && id) {
      this.servers.delete(id);
      this.invalidStatus.delete(id);
    } else if (kind === 'fleet') {
      this.fleet = null;
    } else if (kind === 'coordinator') {
      this.lease = null;
      this.leaseOid = null;
    }
  }

  /** A live job, or an archived one already read by loadArchived(). */
  job(id: string): Job | undefined {
    return this.jobs.get(id)?.job ?? this.#archivedRead.get(id) ?? undefined;
  }

  /** Reads the archived jobs among `ids` (dependencies of live jobs), once each. */
  async loadArchived(ids: Iterable<string>): Promise<void> {
    const wanted = [...new Set(ids)].filter((id) => !this.jobs.has(id) && this.archived.has(id) && !this.#archivedRead.has(id));
    if (wanted.length === 0) return;
    const blobs = await this.backend.readBlobs(wanted.map((id) => this.archived.get(id)!.oid));
    for (const id of wanted) {
      const content = blobs.get(this.archived.get(id)!.oid);
      if (!content) throw missingObjects([this.archived.get(id)!.oid]);
      const parsed = parseRecordFile('job', id, content);
      this.#archivedRead.set(id, parsed.ok ? parsed.value : null);
    }
  }
}
