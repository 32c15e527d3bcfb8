import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs } from '../../tests/helpers/tempDir.js';
import { type FleetRemote, startFleetRemote } from '../../tests/helpers/fleetRemote.js';
import { openStore } from '../../tests/helpers/openStore.js';
import { whileCacheHeld } from '../../tests/helpers/whileCacheHeld.js';
import { initFleetPlan } from '../settings/initFleetPlan.js';
import type { ServerStatus } from '../schema/types.js';
import { ChangeSet } from './ChangeSet.js';
import { abort, decide } from './Plan.js';
import type { Store } from './Store.js';

function status(server: string, seq = 1): ServerStatus {
  return { schemaVersion: 1, server, updatedAt: new Date().toISOString(), seq, health: { state: 'healthy' } };
}

const put = (s: ServerStatus) => () => new ChangeSet().put('status', s);

// The same contract for every backend and transport.
const variants = [
  { name: 'cli over http', backend: 'cli' as const, transport: 'http' as const },
  { name: 'js over http', backend: 'js' as const, transport: 'http' as const },
  { name: 'cli on a local bare repository', backend: 'cli' as const, transport: 'path' as const },
];

describe.each(variants)('Store.transact ($name)', ({ backend, transport }) => {
  let remote: FleetRemote;
  let url: string;
  const open = (extra: Parameters<typeof openStore>[0] | object = {}): Store => openStore({ url, backend, ...extra });

  beforeAll(async () => {
    remote = await startFleetRemote();
    url = transport === 'http' ? remote.httpUrl : remote.bareDir;
  });
  afterAll(async () => {
    await remote.close();
    cleanupTempDirs();
  });

  it('refuses to write before the fleet branch exists, then init creates it once', async () => {
    const store = open();
    await expect(store.transact('early', put(status('web-01')))).rejects.toMatchObject({ code: 'E_BRANCH_NOT_FOUND' });
    expect(remote.head()).toBeNull();
    const first = await store.transact('init', initFleetPlan({ name: 'test' }), { createBranch: true });
    expect(first.status).toBe('committed');
    expect(remote.head()).toBe(first.status === 'committed' ? first.commit : '');
    const again = await open().transact('init', initFleetPlan(), { createBranch: true });
    expect(again.status).toBe('unchanged');
    const snap = await open().snapshot();
    expect(await snap.get('fleet')).toEqual({ schemaVersion: 1, name: 'test' });
    expect(await snap.paths('jobs')).toEqual(['jobs/README.md']);
  });

  it('commits a record that another store then reads', async () => {
    const result = await open().transact('report', put(status('web-01', 7)));
    expect(result).toMatchObject({ status: 'committed', attempts: 1, paths: ['status/web-01.json'] });
    const read = await (await open().snapshot()).get('status', 'web-01');
    expect(read?.seq).toBe(7);
  });

  it('skips the commit when a write would change nothing', async () => {
    const record = status('web-02', 1);
    await open().transact('first', put(record));
    const before = remote.head();
    const result = await open().transact('same again', put(record));
    expect(result.status).toBe('unchanged');
    expect(remote.head()).toBe(before);
  });

  it('replays the plan on the new head when another writer wins the race', async () => {
    // Without the commit queue (tested below): the writer races again on its own.
    const a = open({ commitQueue: false });
    const b = open();
    await a.snapshot();
    await b.snapshot();
    let runs = 0;
    const events: string[] = [];
    a.events.on('txn.rejected', (e) => events.push(`rejected ${e.label} attempt ${e.attempt}`));
    a.events.on('txn.done', (e) => events.push(`done ${e.label} ${e.status} after ${e.attempts}`));
    // b commits while a's plan is running, so a's push is rejected and a replays.
    const result = await a.transact('a', async (snap) => {
      runs++;
      if (runs === 1) await b.transact('b', put(status('racer-b')));
      const seen = await snap.has('status', 'racer-b');
      // The value of the attempt that landed is the one transact hands back.
      return decide(new ChangeSet().put('status', { ...status('racer-a'), seq: seen ? 2 : 1 }), { run: runs, seen });
    });
    expect(result.status).toBe('committed');
    expect(result.attempts).toBe(2);
    expect(result.status === 'committed' && result.value).toEqual({ run: 2, seen: true });
    expect(events).toEqual(['rejected a attempt 1', 'done a committed after 2']);
    const snap = await open().snapshot();
    expect((await snap.get('status', 'racer-a'))?.seq).toBe(2);
    expect(await snap.has('status', 'racer-b')).toBe(true);
  });

  it('gives up at its deadline when the branch keeps moving, keeping the write in the outbox when asked', async () => {
    const other = open();
    // Another writer lands inside every attempt's plan: every push loses, and a deadline
    // shorter than one cycle leaves no room for a retry.
    const losing = (s: ServerStatus) => async () => {
      await other.transact('move', put(status('mover', Date.now())));
      return new ChangeSet().put('status', s);
    };
    // freshForMs 0: the flush below fetches first instead of racing on the head the losers saw.
    const store = open({ deadlineMs: 1, freshForMs: 0 });
    const error = await store.transact('lose', losing(status('loser'))).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_CONFLICT', data: { attempts: 1 } });
    const item = { kind: 'status', key: 'status-loser', payload: status('loser', 5) };
    const queued = await store.transact('lose', losing(status('loser', 5)), { offline: item });
    expect(queued).toMatchObject({ status: 'queued', outboxKey: 'status-loser', reason: expect.stringMatching(/gave up .* kept moving/) });
    expect((await store.outbox!.list()).map((e) => e.key)).toEqual(['status-loser']);
    expect(await (await open().snapshot()).has('status', 'loser')).toBe(false);
    expect((await store.flushOutbox({ status: (p) => put(p as ServerStatus) }))?.status).toBe('committed');
    expect((await (await open().snapshot()).get('status', 'loser'))?.seq).toBe(5);
  });

  it('returns an abort with its reason and writes nothing', async () => {
    const before = remote.head();
    const result = await open().transact('claim', () => abort('conflict', 'already claimed', { by: 'web-09' }));
    expect(result).toMatchObject({ status: 'aborted', reason: 'already claimed', data: { by: 'web-09' } });
    expect(remote.head()).toBe(before);
  });

  it('refuses a record that fails its schema, leaving the remote unchanged', async () => {
    const before = remote.head();
    const bad = { ...status('web-03'), cpu: { usagePercent: 250 } };
    const error = await open()
      .transact('bad', put(bad))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_INVALID_RECORD' });
    expect((error as Error).message).toMatch(/cpu\.usagePercent: must be <= 100/);
    expect(remote.head()).toBe(before);
  });

  it('refuses an id that could escape its folder', async () => {
    const error = await open()
      .transact('escape', put(status('../../etc/passwd')))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_PLAN_FAILED' });
    expect((error as Error).message).toMatch(/not valid/);
  });

  it('turns a plan that throws into a PlanError, leaving the remote unchanged', async () => {
    const before = remote.head();
    const error = await open()
      .transact('throws', () => {
        throw new TypeError('boom');
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_PLAN_FAILED' });
    expect((error as Error).message).toBe('the plan of "throws" failed: boom');
    expect(remote.head()).toBe(before);
  });

  it('freezes records read from the snapshot so a plan cannot corrupt the shared cache', async () => {
    const error = await open()
      .transact('mutate', async (snap) => {
        const s = await snap.get('status', 'web-01');
        (s as { seq: number }).seq = 99;
        return null;
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_PLAN_FAILED' });
  });

  it('deletes a record', async () => {
    const store = open();
    await store.transact('add', put(status('doomed')));
    const result = await store.transact('remove', () => new ChangeSet().delete('status', 'doomed'));
    expect(result.status).toBe('committed');
    expect(await (await open().snapshot()).has('status', 'doomed')).toBe(false);
  });

  it('reads the history under the cache lock, newest first (store.log)', async () => {
    const store = open();
    await store.transact('history one', put(status('log-01')));
    await store.transact('history two', put(status('log-02')));
    const head = (await store.snapshot()).commit!;
    const query = { from: head, limit: 2, paths: ['status/'] };
    const commits = await whileCacheHeld(
      store,
      () => store.log(query),
      () => store.backend.log(query),
    );
    expect(commits.map((c) => c.message.split('\n')[0])).toEqual(['history two', 'history one']);
    expect(commits[0]!.files).toEqual([{ status: 'A', path: 'status/log-02.json' }]);
  });

  it(`offers history rewriting only where the backend can (${backend})`, async () => {
    await open().withCache(async (b) => {
      expect(b.rewriteHistory !== undefined).toBe(backend === 'cli');
    });
  });
});
