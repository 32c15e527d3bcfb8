import {
  BranchNotFoundError,
  CacheCorruptError,
  ConflictError,
  GitfleetError,
  InvalidRecordError,
  PlanError,
  RemoteUnreachableError,
} from '../errors/index.js';
import type { CacheLock } from '../git/CacheLock.js';
import type { CommitInfo, FileChange, GitBackend, LogQuery } from '../git/GitBackend.js';
import { silentLogger, type Logger } from '../util/logger.js';
import { logEvents, TypedEvents } from '../util/TypedEvents.js';
import { sleep } from '../util/sleep.js';
import { ContentionControl, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
import { CacheRecovery, type CacheReader } from './CacheRecovery.js';
import { commitAuthor, commitSubject } from './commitAuthor.js';
import { offerAndFold, type Planned } from './combine/offerAndFold.js';
import { ReadSet } from './combine/ReadSet.js';
import { ChangeSet } from './ChangeSet.js';
import { changesOf, isAbort, planValue, type AbortCode, type Plan, type PlanResult } from './Plan.js';
import type { Outbox, OutboxItem } from './Outbox.js';
import { prepareChanges } from './prepareChanges.js';
import { RecordCache } from './RecordCache.js';
import { RecordFeed, type RecordFeedOptions } from './RecordFeed.js';
import { Snapshot } from './Snapshot.js';
import { STORE_EVENT_LEVELS, type StoreEvents } from './storeEvents.js';

export type { Plan, PlanContext, PlanResult } from './Plan.js';

export interface StoreOptions {
  backend: GitBackend;
  /** Who commits by default: a server id or op:<name>. */
  actor: string;
  lock?: CacheLock;
  logger?: Logger;
  /** Give up a transaction after this long (default 120 s). */
  deadlineMs?: number;
  backoff?: BackoffOptions;
  /** Plan on the head this process last saw, without fetching, if it is younger than this (default 1 s). */
  freshForMs?: number;
  outbox?: Outbox;
  /** Rebuild a damaged local cache once per transaction instead of failing (default true). */
  autoRecoverCache?: boolean;
  /** Network failures retried within one transaction before giving up (default 2). */
  networkRetries?: number;
  recordCache?: RecordCache;
  /** Memory the parsed-record cache may hold (default 64 MiB; a coordinator wants more). */
  recordCacheBytes?: number;
  /**
   * After a lost race, offer the commit to the remote's commit queue where the backend has
   * one (default true; see combine/offerAndFold.ts). Off: every writer retries on its own.
   */
  commitQueue?: boolean;
}

export interface TransactOptions {
  actor?: string;
  deadlineMs?: number;
  signal?: AbortSignal;
  /** Keep this in the outbox instead of failing when the remote cannot be reached. */
  offline?: OutboxItem;
  /** Allow the branch not to exist yet (the plan then creates it): `gitfleet init`. */
  createBranch?: boolean;
}

export interface TransactStats {
  label: string;
  attempts: number;
  fetches: number;
  elapsedMs: number;
  recoveredCache: boolean;
}
/** How a transaction ended. `value` is what the plan found on the attempt that decided (see decide()). */
export type TransactResult<T = undefined> = TransactStats &
  (
    | { status: 'committed'; commit: string; paths: string[]; value: T | undefined }
    | { status: 'unchanged'; commit: string | null; value: T | undefined }
    | { status: 'aborted'; commit: string | null; code: AbortCode; reason: string; data?: Record<string, unknown> }
    | { status: 'queued'; outboxKey: string; reason: string }
  );
type AttemptOutcome<T> =
  | 'rejected'
  | 'replay'
  | { status: 'committed'; commit: string; paths: string[]; value: T | undefined }
  | { status: 'unchanged'; commit: string | null; value: T | undefined }
  | { status: 'aborted'; commit: string | null; code: AbortCode; reason: string; data?: Record<string, unknown> };

interface RunState extends TransactStats {
  head: string | null | undefined;
  /** Whether `head` was fetched during this transaction (a decision not to write needs that). */
  fresh: boolean;
  networkFailures: number;
  /** A commit whose push failed on the network: it may have landed anyway. */
  inFlight: string | undefined;
  inFlightValue?: unknown;
  cycleStartedAt?: number;
  /** What the last attempt's plan read (whether the commit queue can serve it). */
  reads?: ReadSet;
  /** The last attempt's plan and its head: what is offered to the queue when its push lost. */
  lastPlan?: { head: string; planned: Planned<unknown> } | undefined;
  /** A plan already run on the head this attempt starts from (by the commit queue's first look). */
  replanned?: { head: string; planned: Planned<unknown> } | undefined;
  /** Its folds lost to plain pushes: this transaction races from now on, like one without a queue. */
  unqueued?: boolean;
}

/** How long a store races instead of offering after its folds kept losing to plain pushes. */
const QUEUE_REST_MS = 60_000;

/**
 * The transaction engine. `transact(label, plan)` reads the fleet repository at the
 * remote head, runs the plan, validates what it returns, commits it from objects and
 * pushes it as a fast-forward. The push is the compare-and-swap: when another writer
 * got there first, the plan runs again on the new head (never a textual rebase), after
 * a jittered backoff, until it lands or the deadline passes. See docs/transactions.md.
 */
export class Store {
  readonly backend: GitBackend;
  readonly logger: Logger;
  /** What happened, as typed events; the logger is subscribed to every one. */
  readonly events = new TypedEvents<StoreEvents>();
  readonly outbox: Outbox | undefined;
  readonly #opts: StoreOptions;
  readonly #cache: RecordCache;
  readonly #contention: ContentionControl;
  #lastHead: string | null | undefined;
  /** The host refused the commit queue once: this store retries on its own from then on. */
  #queueOff = false;
  /**
   * Until when (ms since the epoch) this store's transactions race instead of offering: its
   * folds lost to a steady stream of plain pushes, which will beat the next ones as well.
   */
  #queueRestUntil = 0;
  #lastHeadAt = 0;
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;
  readonly #recovery: CacheRecovery;
  /**
   * The cache reads of the backend for readers outside transactions (snapshots, the
   * coordinator's index): a damaged cache is rebuilt once, else CacheCorruptError.
   */
  readonly reader: CacheReader;

  constructor(options: StoreOptions) {
    this.#opts = options;
    this.backend = options.backend;
    this.logger = options.logger ?? silentLogger;
    logEvents(this.events, this.logger, STORE_EVENT_LEVELS);
    this.outbox = options.outbox;
    this.#cache = options.recordCache ?? new RecordCache(options.recordCacheBytes);
    this.#contention = new ContentionControl(options.backoff ?? DEFAULT_BACKOFF);
    this.#recovery = new CacheRecovery({
      backend: this.backend,
      events: this.events,
      enabled: options.autoRecoverCache ?? true,
      exclusive: (fn) => this.#exclusive(fn),
      fetch: () => this.#fetchHead(),
    });
    this.reader = this.#recovery.reader();
  }

  /** A snapshot at the current remote head; its reads rebuild a damaged cache once. */
  async snapshot(): Promise<Snapshot> {
    // Before waiting for the cache: `status` waits here for its early fetch.
    this.backend.prepareToRead?.();
    return this.#exclusive(async () => {
      const head = await this.#fetchHead();
      if (head === null) throw this.#branchMissing();
      return new Snapshot(head, this.reader, this.#cache);
    });
  }

  /**
   * A snapshot of what the cache held before the fetch under way, or null: only while this
   * process's early fetch holds the cache (`status`; CliBackend.headBeforeFetch). For reads
   * worth doing while that fetch runs: the records they parse are kept by blob id (the
   * RecordCache), so the fresh snapshot's reads after the fetch parse only what changed.
   * Its reads go to the backend directly, never rebuild the cache, and may fail: a caller
   * ignores their errors (the fresh snapshot's reads report what is wrong).
   */
  async snapshotBeforeFetch(): Promise<Snapshot | null> {
    const head = await this.backend.headBeforeFetch?.();
    if (!head) return null;
    // Its reads stop once the store is closed: a command that failed must not wait for them.
    const open =
      <A extends unknown[], R>(read: (...args: A) => Promise<R>) =>
      (...args: A) =>
        this.#closed ? Promise.reject(new Error('the store is closed')) : read(...args);
    const source = { listTree: open(this.backend.listTree.bind(this.backend)), readBlobs: open(this.backend.readBlobs.bind(this.backend)) };
    return new Snapshot(head, source, this.#cache);
  }

  /** A snapshot at a given commit (for readers that already know it). */
  snapshotAt(commit: string): Snapshot {
    return new Snapshot(commit, this.reader, this.#cache);
  }

  /**
   * The records under `roots`, read incrementally from one `read(head)` to the next
   * (see RecordFeed). Its reads take the cache lock, as a transaction does: the cache
   * may be shared with other processes.
   */
  feed(roots: readonly string[], options: Omit<RecordFeedOptions, 'roots' | 'exclusive'> = {}): RecordFeed {
    return new RecordFeed(this.reader, { ...options, roots, exclusive: (fn) => this.withCache(() => fn()) });
  }

  transact<T = undefined>(label: string, plan: Plan<T>, options: TransactOptions = {}): Promise<TransactResult<T>> {
    return this.#exclusive(() => this.#run(label, plan, options));
  }

  /**
   * Runs `fn` with exclusive use of the local cache (for tools that work on history).
   * A damaged cache is rebuilt (and the head fetched) once and `fn` runs again.
   */
  withCache<T>(fn: (backend: GitBackend) => Promise<T>): Promise<T> {
    return this.#exclusive(() => this.#recovery.run(() => fn(this.backend), 'withCache'));
  }

  /**
   * History of the branch, newest first. Under the cache lock: reading history may
   * deepen a shallow cache (a fetch), which must not race an agent sharing the cache.
   */
  log(query: LogQuery): Promise<CommitInfo[]> {
    return this.withCache((backend) => backend.log(query));
  }

  /**
   * How many commits `to` is ahead of `from` on the branch (undefined when `from` is not
   * among its first `limit` ancestors, e.g. after a history rewrite). For the coordinator's
   * measured push rate: every push is one commit on the linear branch.
   */
  countLanded(from: string, to: string, limit: number): Promise<number | undefined> {
    return this.withCache((backend) => backend.countLanded(from, to, limit));
  }

  /**
   * The branch head as the remote sees it now, without fetching objects (an agent's
   * latency probe). Touches no cache, so it needs no lock.
   */
  remoteHead(): Promise<string | null> {
    return this.backend.lsRemote();
  }

  /** Every branch on the remote (names without refs/heads/), without fetching (an importer reports a foreign layout's branches). */
  remoteBranches(): Promise<string[]> {
    return this.backend.listBranches();
  }

  /** Forgets the remembered head, so the next transaction fetches first (after a history rewrite). */
  forgetHead(): void {
    this.#lastHead = undefined;
  }

  /** Sends what waits in the outbox, in one commit. Returns null when it is empty. */
  async flushOutbox(replayers: Record<string, (payload: unknown) => Plan<unknown>>): Promise<TransactResult | null> {
    if (!this.outbox) return null;
    const entries = (await this.outbox.list()).filter((e) => replayers[e.kind]);
    if (entries.length === 0) return null;
    const result = await this.transact(`outbox: ${entries.length} pending`, async (snapshot, context) => {
      const all = new ChangeSet();
      for (const entry of entries) {
        const part = changesOf(await replayers[entry.kind]!(entry.payload)(snapshot, context));
        if (part) all.merge(part);
      }
      return all;
    });
    if (result.status === 'committed' || result.status === 'unchanged') {
      for (const entry of entries) await this.outbox.remove(entry.key, entry.savedAt);
    }
    return result;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#queue.catch(() => undefined);
    await this.backend.close();
  }

  // One transaction at a time per store, and the cache lock across processes.
  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const inside = () => this.#recovery.insideExclusive(fn);
    const run = this.#queue.then(() => (this.#opts.lock ? this.#opts.lock.with(inside) : inside()));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #run<T>(label: string, plan: Plan<T>, options: TransactOptions): Promise<TransactResult<T>> {
    const started = Date.now();
    const deadline = started + (options.deadlineMs ?? this.#opts.deadlineMs ?? 120_000);
    const state: RunState = {
      label,
      attempts: 0,
      fetches: 0,
      elapsedMs: 0,
      recoveredCache: false,
      head: undefined,
      fresh: false,
      networkFailures: 0,
      inFlight: undefined,
    };
    const finish = <R extends object>(result: R): TransactResult<T> => {
      const done = { ...state, ...result, elapsedMs: Date.now() - started } as unknown as TransactResult<T> & Partial<RunState>;
      delete done.head;
      delete done.fresh;
      delete done.networkFailures;
      delete done.inFlight;
      delete done.cycleStartedAt;
      delete done.reads;
      delete done.lastPlan;
      delete done.replanned;
      delete done.unqueued;
      this.events.emit('txn.done', { label, status: done.status, attempts: done.attempts, ms: done.elapsedMs });
      return done;
    };
    for (;;) {
      options.signal?.throwIfAborted();
      try {
        if (state.head === undefined) await this.#startHead(state);
        if (state.inFlight !== undefined && state.head === state.inFlight) {
          // The commit landed although its push seemed to fail: its plan's value is the one that counts.
          return finish({ status: 'committed', commit: state.inFlight, paths: [], value: state.inFlightValue as T | undefined });
        }
        state.inFlight = undefined;
        if (state.head === null && !options.createBranch) throw this.#branchMissing();
        state.attempts++;
        // One cycle = the fetch that preceded this attempt, the plan, the commit and the push.
        const attemptStarted = state.cycleStartedAt ?? Date.now();
        const outcome = await this.#attempt(label, plan, options, state);
        if (outcome === 'replay') continue;
        if (outcome !== 'rejected') {
          if (outcome.status === 'committed') this.#contention.landed(Date.now() - attemptStarted);
          return finish(outcome);
        }
        // Leave room for one more cycle before the deadline, or give up now.
        const room = deadline - Date.now() - this.#contention.slotMs;
        if (room <= 0) {
          const gaveUp = this.#gaveUp(state, started);
          // Contention is no reason to drop what the caller asked to keep: it waits in the
          // outbox, as it would for an unreachable remote, and goes with the next write.
          if (options.offline && this.outbox) return finish(await this.#keepInOutbox(options.offline, state.label, gaveUp.message));
          throw gaveUp;
        }
        let counted = false;
        const queueable = !this.#queueOff && !state.unqueued && Date.now() >= this.#queueRestUntil;
        if (this.backend.queue && this.#opts.commitQueue !== false && queueable && !options.createBranch && state.reads?.foldable) {
          this.#contention.rejected(Date.now() - attemptStarted);
          counted = true;
          const folded = await this.#fold(label, plan, options, state, deadline);
          if (folded.status === 'committed') return finish(folded);
          if (folded.status === 'settled') return finish(folded.outcome as Exclude<AttemptOutcome<T>, 'rejected' | 'replay'>);
          if (folded.status === 'gave-up') {
            const why = folded.error ?? this.#gaveUp(state, started);
            if (options.offline && this.outbox) return finish(await this.#keepInOutbox(options.offline, state.label, why.message));
            throw why;
          }
          if (folded.disable) this.#queueOff = true;
          if (folded.starved) {
            state.unqueued = true;
            this.#queueRestUntil = Date.now() + QUEUE_REST_MS;
          }
          state.reads = undefined;
          if (folded.replanned && this.#contention.level <= 1) {
            // A first lost race, replanned on the head fetched just now: that plan is pushed
            // at once. Past the first, the usual backoff spreads the racers out.
            this.events.emit('txn.rejected', { label, attempt: state.attempts, waitMs: 0, level: this.#contention.level });
            state.head = folded.replanned.head;
            state.fresh = true;
            state.replanned = folded.replanned;
            state.cycleStartedAt = Date.now();
            continue;
          }
        }
        const wait = counted ? this.#contention.wait(room) : this.#contention.rejected(Date.now() - attemptStarted, room);
        this.events.emit('txn.rejected', { label, attempt: state.attempts, waitMs: wait, level: this.#contention.level });
        await sleep(wait, options.signal);
        state.cycleStartedAt = Date.now();
        state.head = await this.#fetchHead(state);
        state.fresh = true;
      } catch (error) {
        const recovery = await this.#recover(error, state, options, deadline);
        if (recovery === 'retry') continue;
        if (recovery) return finish(recovery);
        throw error;
      }
    }
  }

  async #attempt<T>(label: string, plan: Plan<T>, options: TransactOptions, state: RunState): Promise<AttemptOutcome<T>> {
    const head = state.head ?? null;
    const ready = state.replanned?.head === head ? (state.replanned.planned as Planned<T>) : undefined;
    state.replanned = undefined;
    const planned = ready ?? (await this.#plan(label, plan, head, state.attempts));
    state.reads = planned.reads;
    state.lastPlan = head === null ? undefined : { head, planned };
    if (planned.changes.length === 0) {
      // Deciding not to write is only final on a head fetched now: a stale snapshot
      // could show a claim that has since been released.
      if (!state.fresh) {
        const latest = await this.#fetchHead(state);
        state.fresh = true;
        if (latest !== head) {
          state.head = latest;
          return 'replay';
        }
      }
      return settledOutcome(planned.result as PlanResult<T>, head, planned.value);
    }
    const actor = options.actor ?? this.#opts.actor;
    const commit = await this.backend.commit(head, planned.changes, {
      message: `${commitSubject(label)}\n\nGitfleet-Actor: ${actor}\nGitfleet-Attempt: ${state.attempts}\n`,
      ...commitAuthor(actor),
      time: Date.now(),
    });
    state.inFlight = commit;
    state.inFlightValue = planned.value;
    const pushStarted = Date.now();
    const pushed = await this.backend.push(commit);
    this.events.emit('txn.push', { label, attempt: state.attempts, outcome: String(pushed), ms: Date.now() - pushStarted });
    if (pushed === 'rejected') {
      state.inFlight = undefined;
      return 'rejected';
    }
    state.inFlight = undefined;
    this.#lastHead = commit;
    this.#lastHeadAt = Date.now();
    return { status: 'committed', commit, paths: planned.changes.map((c) => c.path), value: planned.value };
  }

  /** Runs the plan on `head`: the files it would commit (validated), its value, and what it read. */
  async #plan<T>(
    label: string,
    plan: Plan<T>,
    head: string | null,
    attempt: number,
  ): Promise<{ changes: FileChange[]; result: PlanResult<T>; value: T | undefined; reads: ReadSet }> {
    const reads = new ReadSet();
    const snapshot = new Snapshot(head, this.backend, this.#cache, reads);
    let result: PlanResult<T>;
    try {
      result = await plan(snapshot, { attempt, now: new Date() });
    } catch (error) {
      // Errors of the git layer (an unreadable cache, the network) are not the plan's fault.
      if (error instanceof GitfleetError && !(error instanceof InvalidRecordError)) throw error;
      throw new PlanError(`the plan of "${label}" failed: ${(error as Error)?.message ?? String(error)}`, {
        hint: 'nothing was written; this is a bug in the caller of the transaction',
        cause: error,
      });
    }
    const changeSet = changesOf(result);
    const changes = changeSet ? await prepareChanges(changeSet, snapshot) : [];
    return { changes, result, value: planValue(result), reads };
  }

  /**
   * After a lost race, a transaction whose plan read only single records goes through the
   * remote's commit queue (combine/offerAndFold.ts) instead of racing again, where the
   * backend has one and the host accepts offers.
   */
  async #fold<T>(label: string, plan: Plan<T>, options: TransactOptions, state: RunState, deadline: number) {
    const queue = this.backend.queue!;
    return offerAndFold<T, AttemptOutcome<T>>({
      queue,
      backend: this.backend,
      label,
      actor: options.actor ?? this.#opts.actor,
      deadline,
      ...(options.signal ? { signal: options.signal } : {}),
      contention: this.#contention,
      events: this.events,
      counts: state,
      ...(state.lastPlan ? { first: state.lastPlan as { head: string; planned: Planned<T> }, firstFetched: state.fresh } : {}),
      fetchHead: () => this.#fetchHead(state),
      sawHead: (head) => {
        this.#lastHead = head;
        this.#lastHeadAt = Date.now();
      },
      plan: async (head) => {
        const planned = await this.#plan(label, plan, head, state.attempts + 1);
        if (planned.changes.length > 0) return planned;
        return { settled: settledOutcome(planned.result, head, planned.value) };
      },
    });
  }

  async #startHead(state: RunState): Promise<void> {
    const freshFor = this.#opts.freshForMs ?? 1_000;
    if (this.#lastHead !== undefined && Date.now() - this.#lastHeadAt < freshFor) {
      state.head = this.#lastHead;
      state.fresh = false;
    } else {
      state.head = await this.#fetchHead(state);
      state.fresh = true;
    }
  }

  async #fetchHead(state?: RunState): Promise<string | null> {
    if (state) state.fetches++;
    const fetchStarted = Date.now();
    const head = await this.backend.fetch();
    this.events.emit('txn.fetch', { ms: Date.now() - fetchStarted });
    this.#lastHead = head;
    this.#lastHeadAt = Date.now();
    return head;
  }

  async #recover(
    error: unknown,
    state: RunState,
    options: TransactOptions,
    deadline: number,
  ): Promise<'retry' | { status: 'queued'; outboxKey: string; reason: string } | null> {
    if (error instanceof CacheCorruptError && (this.#opts.autoRecoverCache ?? true) && !state.recoveredCache) {
      this.events.emit('cache.recover', { reason: error.message });
      state.recoveredCache = true;
      this.#recovery.noteRebuilt();
      await this.backend.reset();
      state.head = undefined;
      this.#lastHead = undefined;
      return 'retry';
    }
    if (error instanceof RemoteUnreachableError) {
      state.head = undefined;
      this.#lastHead = undefined;
      const wait = 250 * 2 ** state.networkFailures;
      if (state.networkFailures < (this.#opts.networkRetries ?? 2) && Date.now() + wait < deadline) {
        state.networkFailures++;
        this.events.emit('txn.network-retry', { label: state.label, reason: error.message, waitMs: wait });
        await sleep(wait, options.signal);
        return 'retry';
      }
      if (options.offline && this.outbox) return this.#keepInOutbox(options.offline, state.label, error.message);
    }
    return null;
  }

  async #keepInOutbox(item: OutboxItem, label: string, reason: string): Promise<{ status: 'queued'; outboxKey: string; reason: string }> {
    await this.outbox!.put(item);
    this.events.emit('outbox.queued', { label, key: item.key });
    return { status: 'queued', outboxKey: item.key, reason };
  }

  #branchMissing(): BranchNotFoundError {
    return new BranchNotFoundError(`${this.backend.remoteLabel} has no fleet branch yet`, {
      hint: 'run `gitfleet init` to create it, or check --branch',
    });
  }

  #gaveUp(state: RunState, started: number): ConflictError {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    return new ConflictError(`gave up "${state.label}" after ${state.attempts} attempts in ${seconds} s: the branch kept moving`, {
      hint: 'nothing of it was applied; retry, or give transactions more time (deadlineSeconds in the config)',
      data: { attempts: state.attempts },
    });
  }
}

/** What an attempt that writes nothing says: the plan's abort, or unchanged. */
function settledOutcome<T>(result: PlanResult<T>, head: string | null, value: T | undefined): AttemptOutcome<T> {
  if (isAbort(result)) {
    return result.data === undefined
      ? { status: 'aborted', commit: head, code: result.code, reason: result.reason }
      : { status: 'aborted', commit: head, code: result.code, reason: result.reason, data: result.data };
  }
  return { status: 'unchanged', commit: head, value };
}
