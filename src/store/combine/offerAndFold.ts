import { randomBytes } from 'node:crypto';
import { RemoteUnreachableError } from '../../errors/index.js';
import type { CommitQueue, FileChange, GitBackend, QueuedCommit } from '../../git/GitBackend.js';
import { sleep } from '../../util/sleep.js';
import type { TypedEvents } from '../../util/TypedEvents.js';
import type { ContentionControl } from '../backoff.js';
import { commitAuthor, commitSubject } from '../commitAuthor.js';
import { classifyPath } from '../recordPaths.js';
import type { StoreEvents } from '../storeEvents.js';
import { buildFold } from './buildFold.js';
import { offerMessage, saysFolded } from './offerMessage.js';
import type { ReadSet } from './ReadSet.js';

/** A plan's changes on a head, with what it read there. */
export interface Planned<T> {
  changes: FileChange[];
  reads: ReadSet;
  value: T | undefined;
  /** The plan's own result (the store says from it why nothing was written). */
  result?: unknown;
}

/** A commit that landed this transaction's changes (its own fold, or another writer's). */
export type Committed<T> = { status: 'committed'; commit: string; paths: string[]; value: T | undefined };

/** How it ended: `S` is how the store says a plan decided not to write (on a fresh head). */
export type FoldResult<T, S = never> =
  | Committed<T>
  | { status: 'settled'; outcome: S }
  | { status: 'gave-up'; error?: Error }
  /** The queue cannot serve this transaction (it reads too broadly, or the host refuses offers). */
  | { status: 'fallback'; disable: boolean; reason: string; replanned?: { head: string; planned: Planned<T> }; starved?: boolean };

export interface FoldRun<T, S = never> {
  queue: CommitQueue;
  backend: Pick<GitBackend, 'commit' | 'readBlobs'>;
  label: string;
  actor: string;
  deadline: number;
  signal?: AbortSignal;
  contention: ContentionControl;
  events: TypedEvents<StoreEvents>;
  /** Pushes and fetches of the transaction, counted on. */
  counts: { attempts: number; fetches: number };
  /** The plan of the push that lost (on its head): offered as it is, without fetching. */
  first?: { head: string; planned: Planned<T> };
  /** Whether that head was fetched by this transaction (not a head remembered from before). */
  firstFetched?: boolean;
  /** Runs the plan on a head fetched now: its changes and reads, or how it ended. */
  plan(head: string): Promise<Planned<T> | { settled: S }>;
  /** Fetches the branch alone (cheaper than listing the queue too). */
  fetchHead(): Promise<string | null>;
  /** The head this writer last saw (the store plans its next transaction on it). */
  sawHead(head: string): void;
  random?: () => number;
}

interface Offer<T> extends QueuedCommit {
  base: string;
  reads: string[];
  paths: string[];
  value: T | undefined;
  /** No one applies it after this (ms since the epoch). */
  until: number;
  /** How long its push and the next listing of the queue took: the unit of waiting. */
  cycleMs: number;
}

/**
 * Where records live that many writers change: a lost race on them is checked before it
 * is offered. fleet.json is read by every heartbeat but changed by hand, rarely: an offer
 * that read it is checked by the folder like any other.
 */
function isShared(path: string): boolean {
  return path.startsWith('jobs/') || path === 'coordinator.json';
}

/** Commits walked back from the head to find the fold that applied an offer. */
const FOLD_WALK = 2000;
/** Looks a writer spends waiting for an older offer's writer to fold before folding itself. */
const PATIENCE = 8;
/** Folds of one offer that lose to plain pushes before the offer is withdrawn and the transaction races. */
const STARVED_FOLDS = 2;

/**
 * The contended path of a transaction (docs/transactions.md, "The commit queue"): after a
 * lost race, the writer plans on the fresh head and, instead of racing again, offers its
 * commit under a ref of its own in refs/gitfleet/queue/. The writer of the oldest offer
 * folds every offer it can check into one commit and pushes it with the folded refs'
 * deletion, all or nothing; the others wait about a cycle and find their offer applied
 * (a `Gitfleet-Folded` trailer on the branch), or fold themselves when nothing moved. A
 * lost race costs one offer and a fetch or two instead of a race per writer, and one push
 * lands many commits. An offer that reads something another write changed is withdrawn
 * (deleted under its lease, so no fold can apply it after) and planned again.
 */
export async function offerAndFold<T, S>(run: FoldRun<T, S>): Promise<FoldResult<T, S>> {
  const random = run.random ?? Math.random;
  let offer: Offer<T> | undefined;
  /** The plan to offer without fetching first: the one whose push just lost. */
  let pending: { head: string; planned: Planned<T> } | undefined = run.first;
  /** How the next look at the remote is made: list the refs (no pack made), fetch the branch alone, or fetch every offer to fold. */
  let look: 'list' | 'branch' | 'fetch-all' = 'list';
  let lastHead: string | undefined;
  /** Waits spent on an older offer's writer since the head last moved. */
  let patience = 0;
  /** Folds of ours that lost, in a row. */
  let lost = 0;
  /** Folds of ours that lost to plain pushes (no fold among what landed instead). */
  let starved = 0;
  /** The offers older than this one at the last look, and whether one went without a fold seen since. */
  let olderSeen = new Set<string>();
  let olderVanished = false;
  let networkFailures = 0;
  // No one applies an offer after `until`, a margin before the deadline: a folder that
  // listed it just before has time to land or fail before this writer reports anything.
  const until = Math.floor(run.deadline - Math.min(30_000, Math.max(0, run.deadline - Date.now()) / 4));
  const wait = (ms: number) => sleep(Math.min(ms, Math.max(0, until - Date.now())), run.signal);
  for (;;) {
    run.signal?.throwIfAborted();
    try {
      if (!offer) {
        let next = pending;
        pending = undefined;
        if (!next) {
          const head = await run.fetchHead();
          if (head === null) return { status: 'fallback', disable: false, reason: 'the branch is gone' };
          if (Date.now() >= until) return { status: 'gave-up' };
          const planned = await run.plan(head);
          if ('settled' in planned) return { status: 'settled', outcome: planned.settled };
          next = { head, planned };
        }
        const reads = recordReads(next.planned);
        if (!reads) return { status: 'fallback', disable: false, reason: 'the plan read more than single records' };
        if (next === run.first && (reads.some(isShared) || !run.firstFetched)) {
          // The push that lost, on records many writers change (a job, the coordinator's
          // lease): its commit is offered as it is only if what it
          // read did not change; else the plan decides again on the new head, and a claim
          // another writer took ends here without a push. Records with one writer each
          // (a server's status, a new message, a reader's receipts) are offered at once,
          // without that fetch (in a storm it is a third of what a writer costs), unless
          // the plan ran on a head this transaction did not fetch (a daemon's remembered
          // head): what it listed loosely, new messages, may be a cycle old; it plans again.
          const head = await run.fetchHead();
          if (head === null) return { status: 'fallback', disable: false, reason: 'the branch is gone' };
          if (!run.firstFetched || !(await applies(run.queue, next.head, head, reads))) {
            const planned = await run.plan(head);
            if ('settled' in planned) return { status: 'settled', outcome: planned.settled };
            if (reads.some(isShared))
              return { status: 'fallback', disable: false, reason: 'what it read changed: it races again', replanned: { head, planned } };
            next = { head, planned };
            const again = recordReads(planned);
            if (!again) return { status: 'fallback', disable: false, reason: 'the plan read more than single records', replanned: { head, planned } };
            reads.splice(0, reads.length, ...again);
          }
        }
        // Known before it is pushed: a push whose answer is lost may still have made the ref.
        offer = await prepareOffer(run, next.head, next.planned, reads, until);
        // Older offers are judged from this offer's own listings on (a fold before its base is not seen from it).
        olderSeen = new Set();
        olderVanished = false;
        if ((await pushOffer(run, offer)) === 'rejected') {
          // A new ref with a random name cannot lose a race: a refusal is the host's rule.
          offer = undefined;
          return { status: 'fallback', disable: true, reason: 'the remote refused an offer ref' };
        }
        look = 'list';
        continue;
      }
      if (look === 'branch') {
        // Waiting on an older offer's writer: the branch alone says whether its fold landed
        // (a fetch that finds nothing new costs about what a listing does).
        const started = Date.now();
        const head = await run.fetchHead();
        offer.cycleMs = Date.now() - started;
        networkFailures = 0;
        if (head === null) return await giveUp(run, offer);
        if (head !== lastHead) {
          lastHead = head;
          patience = 0;
          const fold = await landedIn(run.queue, head, offer);
          if (fold) return landed(offer, fold);
          look = 'list'; // It moved without this offer: where does it stand now?
          continue;
        }
        if (Date.now() >= until) return await giveUp(run, offer);
        if (patience < PATIENCE) {
          patience++;
          await wait(offer.cycleMs * (0.5 + random()));
        } else look = 'fetch-all';
        continue;
      }
      const listed = look === 'list';
      const listStarted = Date.now();
      const { head, queued } = listed ? await listQueue(run) : await fetchQueue(run);
      if (listed) offer.cycleMs = Date.now() - listStarted;
      networkFailures = 0;
      if (head === null) return await giveUp(run, offer);
      if (head !== lastHead) patience = 0;
      lastHead = head;
      if (!queued.some((q) => q.ref === offer!.ref && q.oid === offer!.oid)) {
        // Its ref goes only with the fold that applies it (one atomic push), or when a
        // folder drops it (it read something that changed, or its time is past).
        const now = listed ? await run.fetchHead() : head;
        const fold = now ? await landedIn(run.queue, now, offer) : undefined;
        if (fold) return landed(offer, fold);
        offer = undefined; // Dropped: it can never land. Plan again on the head.
        continue;
      }
      if (Date.now() >= until) return await giveUp(run, offer);
      // An older offer gone while plain pushes, and no fold, landed since this one's base:
      // its writer withdrew it, its folds having lost to those pushes (see below), and this
      // offer's would lose the same way, so it races instead. Without plain pushes a vanished
      // offer says nothing about folds (it was withdrawn because what it read changed).
      const olderRefs = queued.filter((q) => q.ref < offer!.ref).map((q) => q.ref);
      if ([...olderSeen].some((ref) => !olderRefs.includes(ref))) olderVanished = true;
      olderSeen = new Set(olderRefs);
      if (olderVanished && head !== offer.base) {
        // A listed head's commits are not in the cache: the branch is fetched first (cheap).
        const at = listed ? ((await run.fetchHead()) ?? head) : head;
        const folded = await foldedSince(run.queue, offer.base, at);
        if (folded === true) olderVanished = false;
        else if (folded === false) {
          const gaveWay = await starve(run, offer);
          if (gaveWay) return gaveWay;
        }
      }
      // The oldest offer's writer folds at once; the others give it about one of its
      // cycles (as long as a look takes on this machine now), watching the branch, and
      // fold themselves when it did not move meanwhile.
      const older = olderRefs.length;
      if (older > 0 && patience < PATIENCE) {
        patience++;
        look = 'branch';
        await wait(offer.cycleMs * (0.5 + random()));
        continue;
      }
      if (listed) {
        look = 'fetch-all';
        continue;
      }
      if (!(await stillApplies(run.queue, head, offer))) {
        // It read something that changed: withdrawn under its lease, it is planned again
        // (gone: the next listing says whether a fold took it first).
        if ((await withdraw(run, offer)) === 'withdrawn') offer = undefined;
        look = 'list';
        continue;
      }
      const outcome = await pushFold(run, head, queued, offer);
      if (outcome !== 'rejected') return outcome;
      // The branch moved under the fold: another fold (this offer may be in it), or writers'
      // own first pushes. A fold takes longer than a plain push (every offer fetched, one
      // tree built), so a steady stream of plain pushes can beat it every time: then this
      // offer is withdrawn and the transaction races like one without a queue (bench:scale's
      // 40 writers sending 2,000 servers' heartbeats without pause landed 145 of 4,790 while
      // their folds kept losing, against 889 of 5,180 racing alone).
      const moved = await run.fetchHead();
      const fold = moved ? await landedIn(run.queue, moved, offer) : undefined;
      if (fold) return landed(offer, fold);
      // Refused with the branch where it was: an offer's lease failed (a withdrawal), not a plain push.
      if (moved && moved !== head && (await foldedSince(run.queue, head, moved)) === false) starved++;
      if (starved >= STARVED_FOLDS) {
        const gaveWay = await starve(run, offer);
        if (gaveWay) return gaveWay;
      }
      lost++;
      patience = 0;
      look = 'fetch-all';
      const ms = Math.floor(random() * offer.cycleMs * Math.min(lost, 4));
      run.events.emit('txn.rejected', { label: run.label, attempt: run.counts.attempts, waitMs: ms, level: lost });
      await wait(ms);
    } catch (error) {
      if (!offer) throw error;
      if (error instanceof RemoteUnreachableError) {
        // The offer may still be folded by others until its time: keep looking until then.
        if (Date.now() < until) {
          const ms = Math.min(250 * 2 ** networkFailures++, 10_000, Math.max(0, until - Date.now()));
          run.events.emit('txn.network-retry', { label: run.label, reason: error.message, waitMs: ms });
          await sleep(ms, run.signal);
          continue;
        }
        // Past its time no one applies it; whether one did before cannot be seen now.
        return { status: 'gave-up', error };
      }
      // Anything else (a damaged cache, an abort): the offer must not land behind the
      // caller's back. Withdrawn, or found landed, or the error goes on.
      const settled = await settle(run, offer).catch(() => undefined);
      if (settled) return settled;
      throw error;
    }
  }
}

/** A listing of the branch and the offers (counted with the fetches: the remote serves it as one). */
function listQueue<T, S>(run: FoldRun<T, S>): Promise<{ head: string | null; queued: QueuedCommit[] }> {
  run.counts.fetches++;
  return run.queue.list();
}

async function fetchQueue<T, S>(run: FoldRun<T, S>): Promise<{ head: string | null; queued: QueuedCommit[] }> {
  run.counts.fetches++;
  const started = Date.now();
  const fetched = await run.queue.fetch();
  run.events.emit('txn.fetch', { ms: Date.now() - started });
  if (fetched.head) run.sawHead(fetched.head);
  return fetched;
}

async function prepareOffer<T, S>(run: FoldRun<T, S>, head: string, planned: Planned<T>, reads: string[], until: number): Promise<Offer<T>> {
  run.counts.attempts++;
  const oid = await run.backend.commit(head, planned.changes, {
    message: offerMessage(commitSubject(run.label), run.counts.attempts, { actor: run.actor, reads, until }),
    ...commitAuthor(run.actor),
    time: Date.now(),
  });
  const ref = `${run.queue.prefix}${Date.now().toString(36).padStart(9, '0')}-${run.actor.replace(/[^A-Za-z0-9._-]/g, '.')}-${randomBytes(6).toString('hex')}`;
  return { ref, oid, base: head, reads, paths: planned.changes.map((c) => c.path), value: planned.value, until, cycleMs: 0 };
}

async function pushOffer<T, S>(run: FoldRun<T, S>, offer: Offer<T>): Promise<'ok' | 'rejected'> {
  const started = Date.now();
  const pushed = await run.queue.offer(offer.ref, offer.oid, null);
  offer.cycleMs = Date.now() - started;
  run.events.emit('txn.push', { label: run.label, attempt: run.counts.attempts, outcome: `offer ${pushed}`, ms: offer.cycleMs });
  return pushed;
}

async function pushFold<T, S>(run: FoldRun<T, S>, head: string, queued: readonly QueuedCommit[], offer: Offer<T>): Promise<FoldResult<T, S> | 'rejected'> {
  const started = Date.now();
  // Its own offer first: it was just checked on this head, so the fold always lands it.
  const others = queued.filter((q) => q.ref !== offer.ref).sort(byRef);
  const fold = await buildFold(run.queue, run.backend, head, [offer, ...others], Date.now());
  if (!fold.folded.some((f) => f.oid === offer.oid)) {
    // Only a record of its own that the fold refuses gets here (a bug to survive, not hide).
    const settled = await settle(run, offer);
    if (settled) return settled;
    return { status: 'fallback', disable: false, reason: 'the fold refused its own offer' };
  }
  run.counts.attempts++;
  const more = fold.folded.length - 1;
  const commit = await run.backend.commit(head, fold.changes, {
    message: `${commitSubject(run.label)}${more > 0 ? ` (+${more} folded)` : ''}\n\nGitfleet-Actor: ${run.actor}\nGitfleet-Attempt: ${run.counts.attempts}\n${fold.trailers}`,
    ...commitAuthor(run.actor),
    time: Date.now(),
  });
  const pushed = await run.queue.pushFold(commit, fold.drop);
  run.events.emit('txn.push', { label: run.label, attempt: run.counts.attempts, outcome: `fold of ${fold.folded.length} ${pushed}`, ms: Date.now() - started });
  if (pushed === 'rejected') return 'rejected';
  run.sawHead(commit);
  run.contention.landed(Date.now() - started);
  return landed(offer, commit);
}

/** Whether none of the paths the offer's plan read changed between its base and `head`. */
function stillApplies(queue: CommitQueue, head: string, offer: Offer<unknown>): Promise<boolean> {
  return applies(queue, offer.base, head, offer.reads);
}

/** Whether none of `reads` differs between `base` and `head`. */
async function applies(queue: CommitQueue, base: string, head: string, reads: readonly string[]): Promise<boolean> {
  const entries = await queue.entriesAt(
    reads.flatMap((path) => [
      { commit: base, path },
      { commit: head, path },
    ]),
  );
  for (let i = 0; i < entries.length; i += 2) if (entries[i] !== entries[i + 1]) return false;
  return true;
}

/**
 * The first commit on the branch, walking first parents from `head` back to (not including)
 * `base`, whose message `says` something: its oid, 'none' when no commit in between does,
 * 'unknown' when one on the way is not in the cache.
 */
async function findSince(queue: CommitQueue, base: string, head: string, says: (message: string) => boolean): Promise<string | 'none' | 'unknown'> {
  let oid: string | undefined = head;
  for (let i = 0; i < FOLD_WALK && oid !== undefined && oid !== base; i++) {
    const [commit] = await queue.readCommits([oid]);
    if (!commit) return 'unknown';
    if (says(commit.message)) return oid;
    oid = commit.parents[0];
  }
  return oid === base ? 'none' : 'unknown';
}

/** The fold commit on the branch (first parents, back to the offer's base) that applied the offer. */
async function landedIn(queue: CommitQueue, head: string, offer: Offer<unknown>): Promise<string | undefined> {
  const found = await findSince(queue, offer.base, head, (message) => saysFolded(message, offer.oid));
  return found === 'none' || found === 'unknown' ? undefined : found;
}

/**
 * Whether a fold (a commit with Gitfleet-Folded lines) landed between `base` and `head`;
 * 'unknown' when a commit on the way is not in the cache (never read as "no fold": that
 * would send a writer racing for nothing).
 */
async function foldedSince(queue: CommitQueue, base: string, head: string): Promise<boolean | 'unknown'> {
  const found = await findSince(queue, base, head, (message) => /^Gitfleet-Folded: /m.test(message));
  return found === 'unknown' ? 'unknown' : found !== 'none';
}

/**
 * Deletes the offer under its lease. 'withdrawn': no fold can apply it now; 'gone': its ref
 * no longer holds it (a fold took it, or a folder dropped it); 'held': the ref still holds
 * it and the host would not delete it (a ref locked by a push under way, a host rule).
 */
async function withdraw<T, S>(run: FoldRun<T, S>, offer: Offer<T>): Promise<'withdrawn' | 'gone' | 'held'> {
  for (let round = 0; round < 3; round++) {
    run.counts.attempts++;
    const pushed = await run.queue.offer(offer.ref, null, offer.oid);
    run.events.emit('txn.push', { label: run.label, attempt: run.counts.attempts, outcome: `withdraw ${pushed}`, ms: 0 });
    if (pushed === 'ok') return 'withdrawn';
    const { queued } = await listQueue(run);
    if (!queued.some((q) => q.ref === offer.ref && q.oid === offer.oid)) return 'gone';
    await sleep(100 * 2 ** round, run.signal);
  }
  return 'held';
}

/**
 * Withdraws the offer, or finds the fold that landed it: 'withdrawn' (no fold can apply it
 * now), 'dropped' (gone without landing: a folder dropped it), 'held' (the host would not
 * delete its ref), or the fold that landed it.
 */
async function withdrawOrFind<T, S>(run: FoldRun<T, S>, offer: Offer<T>): Promise<'withdrawn' | 'dropped' | 'held' | Committed<T>> {
  const withdrawn = await withdraw(run, offer);
  if (withdrawn !== 'gone') return withdrawn;
  const head = await run.fetchHead();
  const fold = head ? await landedIn(run.queue, head, offer) : undefined;
  return fold ? landed(offer, fold) : 'dropped';
}

/** Withdraws the offer, or finds the fold that landed it: undefined when it can no longer land. */
async function settle<T, S>(run: FoldRun<T, S>, offer: Offer<T>): Promise<Committed<T> | undefined> {
  const outcome = await withdrawOrFind(run, offer);
  return typeof outcome === 'string' ? undefined : outcome;
}

/**
 * Withdraws an offer whose folds lose to plain pushes, so the transaction can race instead:
 * the fallback once no fold can apply it (withdrawn, or dropped), committed if a fold took
 * it meanwhile, undefined while the host still holds its ref (then it stays in the queue:
 * racing while a fold could still apply it would land the write twice).
 */
async function starve<T, S>(run: FoldRun<T, S>, offer: Offer<T>): Promise<FoldResult<T, S> | undefined> {
  const outcome = await withdrawOrFind(run, offer);
  if (outcome === 'held') return undefined;
  if (typeof outcome !== 'string') return outcome;
  return { status: 'fallback', disable: false, starved: true, reason: 'plain pushes keep landing before its folds' };
}

function landed<T>(offer: Offer<T>, commit: string): Committed<T> {
  return { status: 'committed', commit, paths: offer.paths, value: offer.value };
}

/**
 * At its time: withdrawn, nothing of it lands; gone, it landed (committed) or was dropped.
 * A ref the host would not delete is past its time now, which every folder checks.
 */
async function giveUp<T, S>(run: FoldRun<T, S>, offer: Offer<T>): Promise<FoldResult<T, S>> {
  return (await settle(run, offer)) ?? { status: 'gave-up' };
}

/** The paths a plan read when they are all single records (what an offer can carry), else undefined. */
function recordReads(planned: Planned<unknown>): string[] | undefined {
  const reads = [...planned.reads.paths];
  return planned.reads.foldable && reads.every((p) => classifyPath(p).type === 'record') ? reads : undefined;
}

function byRef(a: QueuedCommit, b: QueuedCommit): number {
  return a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0;
}
