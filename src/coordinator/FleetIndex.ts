import type { CoordinatorLease, FleetSettings, Job, ServerStatus } from '../schema/types.js';
import type { CacheReader } from '../store/CacheRecovery.js';
import type { ParsedFile } from '../store/parseRecordFile.js';
import { RecordFeed, type FeedChange } from '../store/RecordFeed.js';
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

/**
 * What the coordinator knows of the repository, kept up to date incrementally: after a
 * full load it only reads the files that changed between the last commit it processed
 * and the new head (a RecordFeed: a diff of trees by blob id), so a tick over 100,000
 * jobs reads a handful. A heartbeat is "observed" when its status file changes, by this
 * process's clock: a server's own timestamps are not trusted to decide that it is dead.
 */
export class FleetIndex {
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
  readonly #feed: RecordFeed;

  /** `reader`: the store's `reader` (reads that rebuild a damaged cache once). */
  constructor(reader: CacheReader) {
    // Archived jobs are only located: a tick reads one only when a live job depends on it.
    this.#feed = new RecordFeed(reader, { roots: ROOTS, archives: 'locate' });
  }

  /** The last commit processed (null before the first refresh). */
  get commit(): string | null {
    return this.#feed.commit;
  }

  /** Brings the index to `head`. `observed` seeds observation times (from a saved state). */
  async refresh(head: string, now: number, observed?: ReadonlyMap<string, { oid: string; observedAt: number }>): Promise<RefreshReport> {
    const started = performance.now();
    const read = await this.#feed.read(head);
    if (read.mode === 'unchanged') return { mode: 'unchanged', changedFiles: 0, readMs: 0 };
    for (const change of read.changes) this.#apply(change, now, observed);
    return { mode: read.mode, changedFiles: read.files, readMs: performance.now() - started };
  }

  #apply(change: FeedChange, now: number, observed?: ReadonlyMap<string, { oid: string; observedAt: number }>): void {
    const { kind, id } = change;
    if (kind !== 'job' && kind !== 'status' && kind !== 'fleet' && kind !== 'coordinator') return;
    if (kind === 'job' && change.month !== undefined) {
      // A move between archive layouts (gitfleet migrate) is a delete of the flat path and a
      // write of the sharded one in one commit, in either order: drop only the path deleted.
      if (change.oid === null) {
        if (this.archived.get(id!)?.path === change.path) this.archived.delete(id!);
      } else this.archived.set(id!, { path: change.path, oid: change.oid });
      this.#archivedRead.delete(id!);
      return;
    }
    if (change.oid === null) {
      this.#remove(kind, id);
      return;
    }
    if (kind === 'job' && (this.jobs.get(id!)?.oid === change.oid || this.invalidJobs.get(id!)?.oid === change.oid)) return;
    if (kind === 'status' && this.servers.get(id!)?.oid === change.oid) return;
    this.#set(change, change.record!, now, observed);
  }

  #set(
    item: { oid: string; kind: string; id: string | null },
    parsed: ParsedFile,
    now: number,
    observed?: ReadonlyMap<string, { oid: string; observedAt: number }>,
  ): void {
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
    const parsed = await this.#feed.load(wanted.map((id) => this.archived.get(id)!.path));
    for (const id of wanted) {
      const p = parsed.get(this.archived.get(id)!.path);
      this.#archivedRead.set(id, p?.ok && p.kind === 'job' ? (p.value as Job) : null);
    }
  }
}
