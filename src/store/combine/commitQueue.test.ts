import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FleetRemote, startFleetRemote } from '../../../tests/helpers/fleetRemote.js';
import { openStore } from '../../../tests/helpers/openStore.js';
import { queuedJob } from '../../../tests/helpers/queuedJob.js';
import { cleanupTempDirs } from '../../../tests/helpers/tempDir.js';
import type { ServerStatus } from '../../schema/types.js';
import { initFleetPlan } from '../../settings/initFleetPlan.js';
import { stringifyRecord } from '../../util/stringifyRecord.js';
import { ChangeSet } from '../ChangeSet.js';
import type { Store } from '../Store.js';
import { offerMessage } from './offerMessage.js';

function status(server: string, seq = 1): ServerStatus {
  return { schemaVersion: 1, server, updatedAt: new Date().toISOString(), seq, health: { state: 'healthy' } };
}
const put = (s: ServerStatus) => () => new ChangeSet().put('status', s);
const bytes = (value: unknown) => Buffer.from(typeof value === 'string' ? value : stringifyRecord(value as ServerStatus), 'utf8');

// The commit queue against real git: git http-backend on loopback and a local bare repository.
describe.each([
  { name: 'over http', http: true },
  { name: 'on a local bare repository', http: false },
])('the commit queue ($name)', ({ http }) => {
  let remote: FleetRemote;
  let url: string;
  const open = (actor = 'test-server'): Store => openStore({ url, actor });
  const git = (...args: string[]) => execFileSync('git', ['--git-dir', remote.bareDir, ...args]).toString();
  const queueRefs = () => git('for-each-ref', '--format=%(refname)', 'refs/gitfleet/queue/').split('\n').filter(Boolean);

  /** An offer as another writer would leave it: a commit on `base` and a ref under refs/gitfleet/queue/. */
  async function plantOffer(
    files: Record<string, Uint8Array | null>,
    terms: { reads?: string[]; until?: number; actor?: string; base?: string; store?: Store } = {},
  ) {
    const store = terms.store ?? open('planter');
    const base = terms.base ?? (await store.snapshot()).commit!;
    const reads = terms.reads ?? Object.keys(files);
    const oid = await store.backend.commit(
      base,
      Object.entries(files).map(([path, content]) => ({ path, content })),
      {
        message: offerMessage('planted', 2, { actor: terms.actor ?? 'planter', reads, until: terms.until ?? Date.now() + 600_000 }),
        authorName: 'planter',
        authorEmail: 'planter@gitfleet.invalid',
        time: Date.now(),
      },
    );
    const ref = `${store.backend.queue!.prefix}${Date.now().toString(36).padStart(9, '0')}-planter-${Math.random().toString(16).slice(2, 10)}`;
    expect(await store.backend.queue!.offer(ref, oid, null)).toBe('ok');
    if (!terms.store) await store.close();
    return { ref, oid };
  }

  /** Lands a commit on the branch (same tree, `message`) as another writer would, past the store's view. */
  function landBehindItsBack(message: string): void {
    const head = git('rev-parse', 'refs/heads/main').trim();
    git('update-ref', 'refs/heads/main', git('commit-tree', `${head}^{tree}`, '-p', head, '-m', message).trim(), head);
  }

  /**
   * Once `store` has offered, another writer's commit (`message(n)`) lands right after each of
   * its next four fetches (each lost fold is followed by a fetch of the branch, so four
   * make two lost folds). Returns the store's push outcomes, in order, as they come.
   */
  function rivalsAfterFetches(store: Store, message: (n: number) => string): string[] {
    const outcomes: string[] = [];
    store.events.on('txn.push', (e) => outcomes.push(e.outcome));
    let rivals = 0;
    store.events.on('txn.fetch', () => {
      if (outcomes.includes('offer ok') && rivals < 4) landBehindItsBack(message(++rivals));
    });
    return outcomes;
  }

  /** A transaction whose first push loses: another writer lands while its plan runs. */
  async function loseOnce(store: Store, record: ServerStatus, rival: () => Promise<unknown>) {
    let runs = 0;
    return store.transact(`put ${record.server}`, async () => {
      if (++runs === 1) await rival();
      return new ChangeSet().put('status', record);
    });
  }

  beforeAll(async () => {
    remote = await startFleetRemote();
    url = http ? remote.httpUrl : remote.bareDir;
    await open().transact('init', initFleetPlan(), { createBranch: true });
  });
  afterAll(async () => {
    await remote.close();
    cleanupTempDirs();
  });

  it('a writer that lost a race offers its commit and folds it with the offers waiting, deleting their refs', async () => {
    const waiting = await plantOffer({ 'status/waiting-1.json': bytes(status('waiting-1')) });
    const result = await loseOnce(open('loser-1'), status('loser-1'), () => open('rival-1').transact('rival', put(status('rival-1'))));
    // Its push, its offer, its fold.
    expect(result).toMatchObject({ status: 'committed', attempts: 3, paths: ['status/loser-1.json'] });
    const head = remote.head()!;
    expect(result.status === 'committed' && result.commit).toBe(head);
    const message = git('log', '-1', '--format=%B', head);
    expect(message).toContain(`Gitfleet-Folded: ${waiting.oid} planter\n`);
    expect(message).toMatch(/^Gitfleet-Actor: loser-1$/m);
    expect(queueRefs()).toEqual([]);
    const snap = await open().snapshot();
    for (const server of ['waiting-1', 'loser-1', 'rival-1']) expect((await snap.get('status', server))?.server).toBe(server);
  });

  it('applies an offer only at the paths its plan read, never the rest of its tree', async () => {
    // The planted commit also writes status/stowaway.json, which its terms do not list.
    const offer = await plantOffer(
      { 'status/listed-1.json': bytes(status('listed-1')), 'status/stowaway.json': bytes(status('stowaway')) },
      { reads: ['status/listed-1.json'] },
    );
    await loseOnce(open('loser-2'), status('loser-2'), () => open('rival-2').transact('rival', put(status('rival-2'))));
    expect(git('log', '-1', '--format=%B', 'main')).toContain(`Gitfleet-Folded: ${offer.oid} planter`);
    const snap = await open().snapshot();
    expect(await snap.get('status', 'listed-1')).toBeDefined();
    expect(await snap.has('status', 'stowaway')).toBe(false);
  });

  it('drops hostile, expired and conflicting offers without applying any of them', async () => {
    await open().transact('seed', put(status('contested', 1)));
    const stale = open('planter');
    const staleBase = (await stale.snapshot()).commit!;
    await open().transact('move', put(status('contested', 2)));
    const dropped = [
      // Not a valid status record.
      await plantOffer({ 'status/broken.json': bytes('{"schemaVersion":1,"server":"broken"}') }),
      // Reads (and so may write) a path that holds no record.
      await plantOffer({ '.github/workflows/evil.yml': bytes('on: push') }),
      // Past its time: its writer has given up.
      await plantOffer({ 'status/late.json': bytes(status('late')) }, { until: Date.now() - 1000 }),
      // Planned on a head where status/contested.json was older: it read what changed since.
      await plantOffer({ 'status/contested.json': bytes(status('contested', 9)) }, { base: staleBase, store: stale }),
      // An actor gitfleet could not have written.
      await plantOffer({ 'status/shady.json': bytes(status('shady')) }, { actor: 'Robert"); DROP' }),
    ];
    // Another branch's offer (a second fleet in the same repository) is not this fleet's to fold.
    const foreign = await plantOffer({ 'status/foreign.json': bytes(status('foreign')) });
    const foreignRef = foreign.ref.replace('/queue/main/', '/queue/other-fleet/');
    git('update-ref', foreignRef, foreign.oid);
    git('update-ref', '-d', foreign.ref);
    const before = remote.head()!;
    await loseOnce(open('loser-3'), status('loser-3'), () => open('rival-3').transact('rival', put(status('rival-3'))));
    const folds = git('log', '--format=%B', `${before}..main`);
    for (const offer of [...dropped, foreign]) expect(folds).not.toContain(offer.oid);
    expect(queueRefs()).toEqual([foreignRef]);
    git('update-ref', '-d', foreignRef);
    const snap = await open().snapshot();
    expect((await snap.get('status', 'contested'))?.seq).toBe(2);
    for (const server of ['broken', 'late', 'shady', 'foreign']) expect(await snap.has('status', server)).toBe(false);
    expect((await snap.tree()).some((e) => e.path.startsWith('.github/workflows/evil'))).toBe(false);
    expect((await snap.get('status', 'loser-3'))?.server).toBe('loser-3');
  });

  it('applies a commit offered under two refs once, and deletes both refs', async () => {
    const first = await plantOffer({ 'status/twice.json': bytes(status('twice')) });
    const copy = first.ref.replace(/-planter-/, '-copycat-');
    git('update-ref', copy, first.oid);
    await loseOnce(open('loser-4'), status('loser-4'), () => open('rival-4').transact('rival', put(status('rival-4'))));
    const message = git('log', '-1', '--format=%B', 'main');
    expect(message.split(first.oid).length - 1).toBe(1);
    expect(queueRefs()).toEqual([]);
  });

  it('an offer withdrawn under its lease can never be folded after', async () => {
    const store = open('withdrawer');
    const offer = await plantOffer({ 'status/withdrawn.json': bytes(status('withdrawn')) });
    expect(await store.backend.queue!.offer(offer.ref, null, offer.oid)).toBe('ok');
    // A folder that listed it before: its atomic push with the offer's lease is refused whole.
    const head = (await store.snapshot()).commit!;
    const fold = await store.backend.commit(head, [{ path: 'status/withdrawn.json', content: bytes(status('withdrawn')) }], {
      message: 'fold\n',
      authorName: 'x',
      authorEmail: 'x@gitfleet.invalid',
      time: Date.now(),
    });
    expect(await store.backend.queue!.pushFold(fold, [offer])).toBe('rejected');
    expect(remote.head()).toBe(head);
    await store.close();
  });

  it('an offer whose folds keep losing to plain pushes is withdrawn, and the transaction lands by racing', async () => {
    const store = open('starved');
    // Another writer's plain push lands after each fetch of the offer's writer: its folds are
    // built on heads that are already gone (twice), as under a steady stream of first
    // pushes from other servers.
    const outcomes = rivalsAfterFetches(store, (n) => `rival ${n}`);
    const rival = open('rival-s');
    const result = await loseOnce(store, status('starved'), () => rival.transact('rival', put(status('rival-s'))));
    await rival.close();
    expect(result.status).toBe('committed');
    expect(outcomes.filter((o) => /^fold of \d+ rejected$/.test(o))).toHaveLength(2);
    expect(outcomes).toContain('withdraw ok');
    // Landed by its own push, not a fold, and nothing left in the queue.
    expect(outcomes.at(-1)).toBe('ok');
    expect(git('log', '-1', '--format=%B', 'refs/heads/main')).not.toMatch(/Gitfleet-Folded/);
    expect(git('show', 'refs/heads/main:status/starved.json')).toContain('"server": "starved"');
    expect(queueRefs()).toEqual([]);
    await store.close();
  });

  it('a fold that loses to other folds is not starving: it folds again and lands', async () => {
    const store = open('outfolded');
    const outcomes = rivalsAfterFetches(store, (n) => `other fold ${n}\n\nGitfleet-Folded: ${'0'.repeat(40)} someone-else\n`);
    const rival = open('rival-o');
    const result = await loseOnce(store, status('outfolded'), () => rival.transact('rival', put(status('rival-o'))));
    await rival.close();
    expect(result.status).toBe('committed');
    expect(outcomes.filter((o) => /^fold of \d+ rejected$/.test(o)).length).toBeGreaterThanOrEqual(2);
    expect(outcomes).not.toContain('withdraw ok');
    expect(outcomes.at(-1)).toMatch(/^fold of \d+ ok$/);
    expect(queueRefs()).toEqual([]);
    await store.close();
  });

  it('a writer waiting on an older offer that vanished with no fold races instead of waiting its turn to lose', async () => {
    const older = await plantOffer({ 'status/older.json': bytes(status('older')) });
    const store = open('behind');
    const outcomes: string[] = [];
    store.events.on('txn.push', (e) => outcomes.push(e.outcome));
    // Once it has seen the older offer and waits on it, a plain push lands and that offer's
    // writer withdraws it (as one whose folds lost to plain pushes does): no fold will come.
    store.events.on('txn.fetch', () => {
      if (outcomes.includes('offer ok') && git('for-each-ref', '--format=%(refname)', older.ref).trim()) {
        landBehindItsBack('plain push');
        git('update-ref', '-d', older.ref, older.oid);
      }
    });
    const rival = open('rival-b');
    const result = await loseOnce(store, status('behind'), () => rival.transact('rival', put(status('rival-b'))));
    await rival.close();
    expect(result.status).toBe('committed');
    expect(outcomes).toContain('withdraw ok');
    expect(outcomes.some((o) => o.startsWith('fold'))).toBe(false);
    expect(outcomes.at(-1)).toBe('ok');
    expect(git('show', 'refs/heads/main:status/behind.json')).toContain('"server": "behind"');
    expect(queueRefs()).toEqual([]);
    await store.close();
  });

  it('a claim that lost its race ends without offering anything: exactly one winner', async () => {
    const job = queuedJob('queue-claim');
    await open().transact('submit', () => new ChangeSet().put('job', job));
    const claim = (server: string) => async (snap: Parameters<Parameters<Store['transact']>[1]>[0]) => {
      const current = await snap.get('job', 'queue-claim');
      if (current?.assignment) return { abort: true as const, code: 'conflict' as const, reason: 'already claimed' };
      return new ChangeSet().put('job', {
        ...current!,
        state: 'assigned',
        attempts: 1,
        assignment: { server, attempt: 1, claimId: 'abcdef01', assignedAt: new Date().toISOString() },
      });
    };
    let runs = 0;
    const loser = await open('claimer-a').transact('claim a', async (snap) => {
      if (++runs === 1) await open('claimer-b').transact('claim b', claim('claimer-b'));
      return claim('claimer-a')(snap);
    });
    expect(loser).toMatchObject({ status: 'aborted', reason: 'already claimed', attempts: 1 });
    expect(queueRefs()).toEqual([]);
    expect((await (await open().snapshot()).get('job', 'queue-claim'))?.assignment?.server).toBe('claimer-b');
  });
});
