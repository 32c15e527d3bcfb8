import { shardOf } from '../store/recordPaths.js';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type FleetRemote, plantFiles, startFleetRemote } from '../../tests/helpers/fleetRemote.js';
import { openStore } from '../../tests/helpers/openStore.js';
import { cleanupTempDirs, tempDir } from '../../tests/helpers/tempDir.js';
import { composeJob } from '../jobs/composeJob.js';
import type { FleetSettings, Job, ServerStatus } from '../schema/types.js';
import { validateRecord } from '../schema/validateRecord.js';
import type { CacheReader } from '../store/CacheRecovery.js';
import { FleetIndex } from './FleetIndex.js';

const T0 = Date.parse('2026-11-20T10:00:00.000Z');
const T1 = Date.parse('2026-11-22T12:00:00.000Z');
const T2 = T1 + 30_000;
const HOUR = 3_600_000;

const json = (value: unknown) => JSON.stringify(value, null, 2);

function queued(at = T0): Job {
  const job = composeJob({ kind: 'build', params: { ref: 'main' }, createdBy: 'op:test', now: at });
  expect(validateRecord('job', job)).toEqual([]);
  return job;
}

function ended(state: 'succeeded' | 'cancelled', endedAt: number, job = queued(endedAt - HOUR)): Job {
  const next: Job = { ...job, state, attempts: state === 'succeeded' ? 1 : job.attempts, updatedAt: new Date(endedAt).toISOString() };
  if (state === 'cancelled') next.reason = 'cancelled by op:test: not needed';
  expect(validateRecord('job', next)).toEqual([]);
  return next;
}

function status(server: string, seq = 1): ServerStatus {
  const s: ServerStatus = { schemaVersion: 1, server, updatedAt: new Date(T0 + seq * 1000).toISOString(), seq, health: { state: 'healthy' } };
  expect(validateRecord('status', s)).toEqual([]);
  return s;
}

const SETTINGS: FleetSettings = { schemaVersion: 1, jobs: { archiveAfterHours: 48 }, drain: ['web-02'] };

/** One commit straight into the bare repository: a string writes the file, null deletes it. */
function commitChanges(bareDir: string, files: Record<string, string | null>): string {
  const env = { ...process.env, GIT_INDEX_FILE: path.join(tempDir('gitfleet-index-'), 'index') };
  const git = (args: string[], input?: string) =>
    execFileSync('git', ['--git-dir', bareDir, ...args], { env, input })
      .toString()
      .trim();
  git(['read-tree', 'refs/heads/main']);
  for (const [file, content] of Object.entries(files)) {
    // Mode 0 in --index-info removes the entry (--force-remove wants a work tree).
    if (content === null) git(['update-index', '--index-info'], `0 ${'0'.repeat(40)}\t${file}\n`);
    else git(['update-index', '--add', '--cacheinfo', `100644,${git(['hash-object', '-w', '--stdin'], content)},${file}`]);
  }
  const tree = git(['write-tree']);
  const commit = git(['-c', 'user.name=other', '-c', 'user.email=o@example.invalid', 'commit-tree', tree, '-p', 'refs/heads/main', '-m', 'change']);
  git(['update-ref', 'refs/heads/main', commit]);
  return commit;
}

const blobAt = (bareDir: string, commit: string, file: string) =>
  execFileSync('git', ['--git-dir', bareDir, 'rev-parse', `${commit}:${file}`])
    .toString()
    .trim();

const sorted = (values: Iterable<string>) => [...values].sort();

const remotes: FleetRemote[] = [];
afterAll(async () => {
  await Promise.all(remotes.map((r) => r.close()));
  cleanupTempDirs();
});

describe.each(['cli', 'js'] as const)('FleetIndex on a real repository (%s backend)', (kind) => {
  /** A remote holding `files`, a store on it, and an index over the store's backend that records which blobs it reads. */
  async function setup(files: Record<string, string>) {
    const remote = await startFleetRemote();
    remotes.push(remote);
    plantFiles(remote.bareDir, files);
    const store = openStore({ url: remote.httpUrl, backend: kind });
    const reads: string[][] = [];
    // As after a history rewrite (compaction) or a pruned cache: the last processed commit is gone.
    const lost = { commit: false };
    const backend: CacheReader = {
      listTree: (commit, roots) => store.reader.listTree(commit, roots),
      readBlobs: (oids) => {
        reads.push([...oids]);
        return store.reader.readBlobs(oids);
      },
      changedPaths: (from, to) => (lost.commit ? Promise.reject(new Error(`bad object ${from}`)) : store.reader.changedPaths(from, to)),
    };
    const index = new FleetIndex(backend);
    const head = async () => {
      const commit = (await store.snapshot()).commit;
      expect(commit).toMatch(/^[0-9a-f]{40}$/);
      return commit!;
    };
    return { remote, store, index, head, reads, lost };
  }

  it('loads everything on the first refresh', async () => {
    const q = queued();
    const done = ended('succeeded', T1 - 50 * HOUR);
    const stopped = ended('cancelled', T1 - HOUR);
    const files: Record<string, string> = {
      'fleet.json': json(SETTINGS),
      'jobs/README.md': '# jobs/\n',
      [`jobs/${q.id}.json`]: json(q),
      [`jobs/${done.id}.json`]: json(done),
      [`jobs/${stopped.id}.json`]: json(stopped),
      'jobs/bad.json': '{',
      'status/web-01.json': json(status('web-01')),
      'status/web-02.json': json(status('web-02', 7)),
      'messages/README.md': '# messages/\n',
      'unrelated/notes.txt': 'not fleet data',
    };
    const { remote, index, head } = await setup(files);
    const commit = await head();

    const report = await index.refresh(commit, T1);

    expect(report.mode).toBe('full');
    // Everything under jobs/, status/ and fleet.json is listed; messages/ and other folders are not the coordinator's.
    expect(report.changedFiles).toBe(8);
    expect(index.commit).toBe(commit);
    expect(sorted(index.jobs.keys())).toEqual(sorted([q.id, done.id, stopped.id]));
    expect(index.jobs.get(q.id)).toEqual({ id: q.id, oid: blobAt(remote.bareDir, commit, `jobs/${q.id}.json`), job: q });
    expect(index.jobs.get(done.id)!.job).toEqual(done);
    expect(index.job(stopped.id)).toEqual(stopped);
    expect([...index.active]).toEqual([q.id]);
    expect(new Map(index.finished)).toEqual(
      new Map([
        [done.id, T1 - 50 * HOUR],
        [stopped.id, T1 - HOUR],
      ]),
    );
    expect([...index.invalidJobs.keys()]).toEqual(['bad']);
    expect(index.invalidJobs.get('bad')).toMatchObject({ id: 'bad', oid: blobAt(remote.bareDir, commit, 'jobs/bad.json') });
    expect(index.invalidJobs.get('bad')!.reason).toMatch(/invalid JSON/);
    expect(index.jobs.has('bad')).toBe(false);
    expect(index.job('bad')).toBeUndefined();
    expect(sorted(index.servers.keys())).toEqual(['web-01', 'web-02']);
    expect(index.servers.get('web-01')).toEqual({ oid: blobAt(remote.bareDir, commit, 'status/web-01.json'), status: status('web-01'), observedAt: T1 });
    expect(index.servers.get('web-02')).toMatchObject({ status: { seq: 7 }, observedAt: T1 });
    expect(index.invalidStatus.size).toBe(0);
    expect(index.fleet).toEqual(SETTINGS);
    expect(index.archived.size).toBe(0);
  });

  it('after another commit reads only the changed files', async () => {
    const a = queued(T0);
    const b = queued(T0 + 1000);
    const d = queued(T0 + 2000);
    const { index, head, reads, remote } = await setup({
      'fleet.json': json(SETTINGS),
      [`jobs/${a.id}.json`]: json(a),
      [`jobs/${b.id}.json`]: json(b),
      [`jobs/${d.id}.json`]: json(d),
      'status/web-01.json': json(status('web-01', 1)),
      'status/web-02.json': json(status('web-02', 1)),
    });
    expect((await index.refresh(await head(), T1)).mode).toBe('full');
    const bEntry = index.jobs.get(b.id);
    const web02 = index.servers.get('web-02');
    reads.length = 0;

    const aDone = ended('cancelled', T1 - 10_000, a);
    commitChanges(remote.bareDir, {
      [`jobs/${a.id}.json`]: json(aDone),
      [`jobs/${d.id}.json`]: null,
      'status/web-01.json': json(status('web-01', 2)),
      'status/web-03.json': json(status('web-03', 1)),
      'unrelated/notes.txt': 'not counted',
    });
    const commit = await head();
    const report = await index.refresh(commit, T2);

    expect(report).toMatchObject({ mode: 'incremental', changedFiles: 4 });
    expect(index.commit).toBe(commit);
    // Only the three written record files were read, not the whole tree.
    expect(sorted(reads.flat())).toEqual(
      sorted([`jobs/${a.id}.json`, 'status/web-01.json', 'status/web-03.json'].map((f) => blobAt(remote.bareDir, commit, f))),
    );
    expect(index.job(a.id)).toEqual(aDone);
    expect(index.jobs.has(d.id)).toBe(false);
    expect(index.job(d.id)).toBeUndefined();
    expect(sorted(index.jobs.keys())).toEqual(sorted([a.id, b.id]));
    expect([...index.active]).toEqual([b.id]);
    expect(new Map(index.finished)).toEqual(new Map([[a.id, T1 - 10_000]]));
    expect(index.jobs.get(b.id)).toBe(bEntry);
    expect(sorted(index.servers.keys())).toEqual(['web-01', 'web-02', 'web-03']);
    expect(index.servers.get('web-01')).toMatchObject({ status: { seq: 2 }, observedAt: T2 });
    expect(index.servers.get('web-01')!.oid).toBe(blobAt(remote.bareDir, commit, 'status/web-01.json'));
    expect(index.servers.get('web-02')).toBe(web02);
    expect(index.servers.get('web-02')!.observedAt).toBe(T1);
    expect(index.servers.get('web-03')).toMatchObject({ status: status('web-03', 1), observedAt: T2 });
    expect(index.fleet).toEqual(SETTINGS);
  });

  it('keeps archived jobs out of jobs/ and reads them only on demand', async () => {
    const old = ended('succeeded', Date.parse('2026-10-15T08:00:00.000Z'));
    const live = ended('succeeded', Date.parse('2026-10-20T08:00:00.000Z'));
    const dependent = { ...queued(T1 - HOUR), dependsOn: [old.id] };
    expect(validateRecord('job', dependent)).toEqual([]);
    const { index, head, remote } = await setup({
      'fleet.json': json(SETTINGS),
      'jobs/archive/README.md': 'archived jobs\n',
      [`jobs/archive/2026-10/${old.id}.json`]: json(old),
      [`jobs/${live.id}.json`]: json(live),
      [`jobs/${dependent.id}.json`]: json(dependent),
    });
    const first = await head();
    await index.refresh(first, T1);

    expect(sorted(index.jobs.keys())).toEqual(sorted([live.id, dependent.id]));
    expect([...index.archived]).toEqual([
      [old.id, { path: `jobs/archive/2026-10/${old.id}.json`, oid: blobAt(remote.bareDir, first, `jobs/archive/2026-10/${old.id}.json`) }],
    ]);
    expect(index.active.has(old.id)).toBe(false);
    expect(index.finished.has(old.id)).toBe(false);
    expect(index.finished.has(live.id)).toBe(true);
    expect(index.job(old.id)).toBeUndefined();
    await index.loadArchived([old.id, 'no-such-job', dependent.id]);
    expect(index.job(old.id)).toEqual(old);
    expect(index.job('no-such-job')).toBeUndefined();
    expect(index.job(dependent.id)).toEqual(dependent);

    // The coordinator archives `live`: a delete and an add in one commit (and someone prunes `old`).
    commitChanges(remote.bareDir, {
      [`jobs/${live.id}.json`]: null,
      [`jobs/archive/2026-10/${live.id}.json`]: json(live),
      [`jobs/archive/2026-10/${old.id}.json`]: null,
    });
    const second = await head();
    const report = await index.refresh(second, T2);

    expect(report).toMatchObject({ mode: 'incremental', changedFiles: 3 });
    expect(sorted(index.jobs.keys())).toEqual([dependent.id]);
    expect(index.finished.has(live.id)).toBe(false);
    expect(index.active.has(live.id)).toBe(false);
    expect(index.archived.get(live.id)).toEqual({
      path: `jobs/archive/2026-10/${live.id}.json`,
      oid: blobAt(remote.bareDir, second, `jobs/archive/2026-10/${live.id}.json`),
    });
    expect([...index.archived.keys()]).toEqual([live.id]);
    // A pruned archive file is forgotten, even though it had been read.
    expect(index.job(old.id)).toBeUndefined();
    expect(index.job(live.id)).toBeUndefined();
    await index.loadArchived([live.id, old.id]);
    expect(index.job(live.id)).toEqual(live);
    expect(index.job(old.id)).toBeUndefined();

    // gitfleet migrate moves it into its shard (a delete and an add of one id in one commit): still archived, at its new path.
    const sharded = `jobs/archive/2026-10/${shardOf(live.id)}/${live.id}.json`;
    commitChanges(remote.bareDir, { [`jobs/archive/2026-10/${live.id}.json`]: null, [sharded]: json(live) });
    const third = await head();
    await index.refresh(third, T2);
    expect(index.archived.get(live.id)).toEqual({ path: sharded, oid: blobAt(remote.bareDir, third, sharded) });
    await index.loadArchived([live.id]);
    expect(index.job(live.id)).toEqual(live);
  });

  it('a full load takes observation times from saved state only for status files that did not change', async () => {
    const { index, head, remote } = await setup({
      'status/web-01.json': json(status('web-01', 1)),
      'status/web-02.json': json(status('web-02', 1)),
      'status/web-03.json': json(status('web-03', 1)),
    });
    const commit = await head();
    const saved = new Map([
      ['web-01', { oid: blobAt(remote.bareDir, commit, 'status/web-01.json'), observedAt: T0 }],
      // Saved for an older version of the file: the change is seen now.
      ['web-02', { oid: blobAt(remote.bareDir, commit, 'status/web-03.json'), observedAt: T0 }],
    ]);
    await index.refresh(commit, T1, saved);
    expect(index.servers.get('web-01')!.observedAt).toBe(T0);
    expect(index.servers.get('web-02')!.observedAt).toBe(T1);
    expect(index.servers.get('web-03')!.observedAt).toBe(T1);
  });

  it('a refresh to the same head changes nothing; a commit outside the fleet folders reads nothing', async () => {
    const q = queued();
    const { index, head, reads, remote } = await setup({
      'fleet.json': json(SETTINGS),
      [`jobs/${q.id}.json`]: json(q),
      'status/web-01.json': json(status('web-01')),
    });
    const commit = await head();
    await index.refresh(commit, T1);
    reads.length = 0;

    expect(await index.refresh(commit, T2)).toEqual({ mode: 'unchanged', changedFiles: 0, readMs: 0 });
    expect(index.commit).toBe(commit);
    expect(index.servers.get('web-01')!.observedAt).toBe(T1);
    expect(reads).toEqual([]);

    commitChanges(remote.bareDir, { 'unrelated/notes.txt': 'hello', 'messages/README.md': '# messages/\n' });
    const next = await head();
    expect(await index.refresh(next, T2)).toMatchObject({ mode: 'incremental', changedFiles: 0 });
    expect(index.commit).toBe(next);
    expect(reads.flat()).toEqual([]);
    expect(index.servers.get('web-01')!.observedAt).toBe(T1);
    expect(index.job(q.id)).toEqual(q);
  });

  it('falls back to a full read when the last processed commit is unknown', async () => {
    const a = queued(T0);
    const b = queued(T0 + 1000);
    const gone = queued(T0 + 2000);
    const archivedLater = ended('succeeded', Date.parse('2026-10-02T00:00:00.000Z'));
    const { index, head, remote, lost } = await setup({
      'fleet.json': json(SETTINGS),
      [`jobs/${a.id}.json`]: json(a),
      [`jobs/${b.id}.json`]: json(b),
      [`jobs/${gone.id}.json`]: json(gone),
      [`jobs/${archivedLater.id}.json`]: json(archivedLater),
      'jobs/bad.json': '{',
      'status/web-01.json': json(status('web-01', 1)),
      'status/web-02.json': json(status('web-02', 1)),
      'status/web-04.json': json(status('web-04', 1)),
    });
    await index.refresh(await head(), T1);
    expect(index.invalidJobs.has('bad')).toBe(true);
    expect(index.finished.has(archivedLater.id)).toBe(true);

    const aDone = ended('succeeded', T1 - 5000, a);
    const newer = { ...SETTINGS, drain: [] };
    commitChanges(remote.bareDir, {
      'fleet.json': json(newer),
      [`jobs/${a.id}.json`]: json(aDone),
      [`jobs/${gone.id}.json`]: null,
      'jobs/bad.json': null,
      [`jobs/${archivedLater.id}.json`]: null,
      [`jobs/archive/2026-10/${archivedLater.id}.json`]: json(archivedLater),
      'status/web-01.json': json(status('web-01', 2)),
      'status/web-02.json': null,
      'status/web-03.json': json(status('web-03', 1)),
    });
    const commit = await head();
    lost.commit = true;
    const report = await index.refresh(commit, T2);
    lost.commit = false;

    expect(report.mode).toBe('full');
    expect(index.commit).toBe(commit);
    expect(sorted(index.jobs.keys())).toEqual(sorted([a.id, b.id]));
    expect(index.job(a.id)).toEqual(aDone);
    expect(index.job(b.id)).toEqual(b);
    expect(index.job(gone.id)).toBeUndefined();
    expect([...index.active]).toEqual([b.id]);
    expect(new Map(index.finished)).toEqual(new Map([[a.id, T1 - 5000]]));
    expect(index.invalidJobs.size).toBe(0);
    expect([...index.archived.keys()]).toEqual([archivedLater.id]);
    expect(index.archived.get(archivedLater.id)!.path).toBe(`jobs/archive/2026-10/${archivedLater.id}.json`);
    expect(sorted(index.servers.keys())).toEqual(['web-01', 'web-03', 'web-04']);
    expect(index.servers.get('web-01')).toMatchObject({ status: { seq: 2 }, observedAt: T2 });
    expect(index.servers.get('web-03')).toMatchObject({ status: { server: 'web-03' }, observedAt: T2 });
    // Its file did not change: the heartbeat is not observed anew just because everything was read.
    expect(index.servers.get('web-04')!.observedAt).toBe(T1);
    expect(index.fleet).toEqual(newer);

    // And the next commit is incremental again from there.
    commitChanges(remote.bareDir, { 'status/web-04.json': json(status('web-04', 2)) });
    const after = await head();
    expect(await index.refresh(after, T2 + 1000)).toMatchObject({ mode: 'incremental', changedFiles: 1 });
    expect(index.servers.get('web-04')).toMatchObject({ status: { seq: 2 }, observedAt: T2 + 1000 });
  });
});
