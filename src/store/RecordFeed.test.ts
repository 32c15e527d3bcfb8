import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { type FleetRemote, plantFiles, startFleetRemote } from '../../tests/helpers/fleetRemote.js';
import { openStore } from '../../tests/helpers/openStore.js';
import { removeFiles } from '../../tests/helpers/removeFiles.js';
import { cleanupTempDirs } from '../../tests/helpers/tempDir.js';
import type { ServerStatus } from '../schema/types.js';
import type { CacheReader } from './CacheRecovery.js';
import { RecordFeed, type FeedChange } from './RecordFeed.js';
import { whileCacheHeld } from '../../tests/helpers/whileCacheHeld.js';

const json = (value: unknown) => JSON.stringify(value, null, 2);
const status = (server: string, seq = 1): ServerStatus => ({
  schemaVersion: 1,
  server,
  updatedAt: '2026-11-22T10:00:00.000Z',
  seq,
  health: { state: 'healthy' },
});
const receipts = (server: string) => ({ schemaVersion: 1, server, read: {} });

const blobAt = (bareDir: string, file: string) =>
  execFileSync('git', ['--git-dir', bareDir, 'rev-parse', `refs/heads/main:${file}`])
    .toString()
    .trim();
const summary = (changes: FeedChange[]) =>
  changes.map((c) => [c.path, c.oid === null ? 'gone' : c.record === undefined ? 'located' : c.record.ok ? 'ok' : 'invalid']);

const remotes: FleetRemote[] = [];
afterAll(async () => {
  await Promise.all(remotes.map((r) => r.close()));
  cleanupTempDirs();
});

describe.each(['cli', 'js'] as const)('RecordFeed on a real repository (%s backend)', (kind) => {
  async function setup(files: Record<string, string>) {
    const remote = await startFleetRemote();
    remotes.push(remote);
    plantFiles(remote.bareDir, files);
    const store = openStore({ url: remote.httpUrl, backend: kind });
    const reads: string[] = [];
    const lost = { commit: false };
    const reader: CacheReader = {
      listTree: (commit, roots, options) => store.reader.listTree(commit, roots, options),
      readBlobs: (oids) => {
        reads.push(...oids);
        return store.reader.readBlobs(oids);
      },
      changedPaths: (from, to) => (lost.commit ? Promise.reject(new Error(`bad object ${from}`)) : store.reader.changedPaths(from, to)),
    };
    const head = async () => (await store.snapshot()).commit!;
    return { remote, store, reader, reads, lost, head };
  }

  it('reads every record under its roots first, then only the blobs that changed', async () => {
    const { remote, reader, reads, head } = await setup({
      'status/web-01.json': json(status('web-01')),
      'status/web-02.json': json(status('web-02')),
      'status/README.md': '# status\n',
      'messages/receipts/web-01.json': json(receipts('web-01')),
      'messages/01jabcdefghjkmnpqrstvwxyz0.json': '{}',
      'jobs/bad.json': '{',
    });
    const feed = new RecordFeed(reader, { roots: ['status/', 'messages/receipts', 'jobs'] });
    const first = await feed.read(await head());

    expect(first.mode).toBe('full');
    expect(first.files).toBe(5);
    expect(summary(first.changes).sort()).toEqual([
      ['jobs/bad.json', 'invalid'],
      ['messages/receipts/web-01.json', 'ok'],
      ['status/web-01.json', 'ok'],
      ['status/web-02.json', 'ok'],
    ]);
    expect(feed.entries.get('status/web-01.json')).toMatchObject({
      kind: 'status',
      id: 'web-01',
      oid: blobAt(remote.bareDir, 'status/web-01.json'),
      record: { ok: true, value: status('web-01') },
    });
    expect(await feed.read(first.commit)).toEqual({ mode: 'unchanged', commit: first.commit, files: 0, changes: [] });

    reads.length = 0;
    plantFiles(remote.bareDir, { 'status/web-01.json': json(status('web-01', 2)), 'status/web-03.json': json(status('web-03')), 'unrelated.txt': 'x' });
    removeFiles(remote.bareDir, ['status/web-02.json', 'jobs/bad.json']);
    const second = await feed.read(await head());

    expect(second.mode).toBe('incremental');
    expect(summary(second.changes).sort()).toEqual([
      ['jobs/bad.json', 'gone'],
      ['status/web-01.json', 'ok'],
      ['status/web-02.json', 'gone'],
      ['status/web-03.json', 'ok'],
    ]);
    // Only the two new blobs were read.
    expect(reads.sort()).toEqual([blobAt(remote.bareDir, 'status/web-01.json'), blobAt(remote.bareDir, 'status/web-03.json')].sort());
    expect([...feed.entries.keys()].sort()).toEqual(['messages/receipts/web-01.json', 'status/web-01.json', 'status/web-03.json']);
    expect(feed.commit).toBe(second.commit);
  });

  it.each([
    [
      'read',
      [
        ['jobs/archive/2026-10/old-1.json', 'invalid'],
        ['jobs/live-1.json', 'invalid'],
      ],
    ],
    [
      'locate',
      [
        ['jobs/archive/2026-10/old-1.json', 'located'],
        ['jobs/live-1.json', 'invalid'],
      ],
    ],
    ['ignore', [['jobs/live-1.json', 'invalid']]],
  ] as const)('archives: %s', async (archives, expected) => {
    const { reader, reads, head } = await setup({ 'jobs/live-1.json': '{"id": "live-1"}', 'jobs/archive/2026-10/old-1.json': '{"id": "old-1"}' });
    const feed = new RecordFeed(reader, { roots: ['jobs'], archives });
    const read = await feed.read(await head());
    expect(summary(read.changes).sort()).toEqual(expected);
    if (archives !== 'locate') return;
    expect(reads).toHaveLength(1);
    const loaded = await feed.load(['jobs/archive/2026-10/old-1.json', 'jobs/archive/2026-10/nothing.json']);
    expect([...loaded.keys()]).toEqual(['jobs/archive/2026-10/old-1.json']);
    expect(loaded.get('jobs/archive/2026-10/old-1.json')).toMatchObject({ ok: false, kind: 'job' });
  });

  it('lists everything again when its last commit is gone, reporting what vanished', async () => {
    const { remote, reader, lost, head } = await setup({ 'status/web-01.json': json(status('web-01')), 'status/web-02.json': json(status('web-02')) });
    const feed = new RecordFeed(reader, { roots: ['status'] });
    await feed.read(await head());
    plantFiles(remote.bareDir, { 'status/web-03.json': json(status('web-03')) });
    removeFiles(remote.bareDir, ['status/web-02.json']);
    lost.commit = true;
    const read = await feed.read(await head());
    expect(read.mode).toBe('full');
    // Unchanged files are listed, not reported again.
    expect(summary(read.changes).sort()).toEqual([
      ['status/web-02.json', 'gone'],
      ['status/web-03.json', 'ok'],
    ]);
    expect(read.files).toBe(3);
  });

  it('a read that fails changes nothing: the next one starts from the same commit', async () => {
    const { remote, reader, head } = await setup({ 'status/web-01.json': json(status('web-01')) });
    let failReads = false;
    const flaky: CacheReader = { ...reader, readBlobs: (oids) => (failReads ? Promise.reject(new Error('disk on fire')) : reader.readBlobs(oids)) };
    const feed = new RecordFeed(flaky, { roots: ['status'] });
    const first = await feed.read(await head());
    plantFiles(remote.bareDir, { 'status/web-01.json': json(status('web-01', 2)) });
    const next = await head();
    failReads = true;
    await expect(feed.read(next)).rejects.toThrow('disk on fire');
    expect(feed.commit).toBe(first.commit);
    expect(feed.entries.get('status/web-01.json')!.record).toMatchObject({ value: { seq: 1 } });
    failReads = false;
    const again = await feed.read(next);
    expect(summary(again.changes)).toEqual([['status/web-01.json', 'ok']]);
    expect(feed.entries.get('status/web-01.json')!.record).toMatchObject({ value: { seq: 2 } });
  });

  it('store.feed reads under the cache lock', async () => {
    const { store, head } = await setup({ 'status/web-01.json': json(status('web-01')) });
    const commit = await head();
    const read = await whileCacheHeld(
      store,
      () => store.feed(['status']).read(commit),
      () => store.backend.listTree(commit, ['status']),
    );
    expect(summary(read.changes)).toEqual([['status/web-01.json', 'ok']]);
  });
});
