import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportReport } from '../../src/import/ImportReport.js';
import { writeBuildLayout } from '../fixtures/buildLayout/writeBuildLayout.js';
import { startFleetRemote, type FleetRemote } from '../helpers/fleetRemote.js';
import { runGitfleet } from '../helpers/runGitfleet.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

/**
 * `gitfleet import build` on a Build-layout repository full of odd shapes (tests/fixtures/buildLayout):
 * the repository itself (the Build fleet becomes a gitfleet fleet in place), and --from it into another
 * fleet over HTTP with the js backend.
 */
describe('gitfleet import build', () => {
  let build: FleetRemote;
  let fleet: FleetRemote;
  let cacheDir: string;
  const env = () => ({ GITFLEET_CACHE_DIR: cacheDir, GITFLEET_DATA_DIR: path.join(cacheDir, 'data') });
  const cli = (...args: string[]) => runGitfleet([...args, '--repo', build.bareDir], { env: env(), timeoutMs: 60_000 });
  const json = async <T>(...args: string[]): Promise<T> => {
    const out = await cli(...args, '--json');
    expect(out.code, out.stderr).toBe(0);
    return JSON.parse(out.stdout) as T;
  };

  beforeAll(async () => {
    [build, fleet] = await Promise.all([startFleetRemote(), startFleetRemote()]);
    cacheDir = tempDir();
    writeBuildLayout(build.bareDir);
  });
  afterAll(async () => {
    await Promise.all([build.close(), fleet.close()]);
    cleanupTempDirs();
  });

  it('validate and status recognise a Build repository and say what to do', async () => {
    const validate = await cli('validate');
    expect(validate.code).toBe(3);
    expect(validate.stdout.trim()).toBe(`${build.bareDir}: this looks like a Build repository: run gitfleet import build`);
    const status = await cli('status');
    expect(status.stdout.trim()).toBe('this looks like a Build repository: run gitfleet import build');
    const statusJson = await cli('status', '--json');
    expect(JSON.parse(statusJson.stdout)).toEqual([]);
    expect(statusJson.stderr).toMatch(/this looks like a Build repository: run gitfleet import build/);
  });

  it('--dry-run shows the report and writes nothing', async () => {
    const head = build.head();
    const out = await cli('import', 'build', '--dry-run');
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/^21 records would be imported, 0 already there, 18 not imported, 3 reported \(dry run: nothing written\)$/m);
    expect(build.head()).toBe(head);
  });

  it('imports in one commit, with a report line for every hostile shape', async () => {
    const head = build.head();
    const report = await json<ImportReport>('import', 'build');
    expect(report.counts).toEqual({ imported: 21, present: 0, skipped: 18, reported: 3 });
    expect(report.commit).toBe(build.head());
    expect(report.commit).not.toBe(head);
    const said = (source: string) => report.lines.find((l) => l.source === source);
    expect(said('coordination/jobs.json#job_1761781030')).toMatchObject({ outcome: 'imported', target: 'jobs/job-1761781030.json' });
    expect(said('coordination/jobs.json#job_1761600000')).toMatchObject({ outcome: 'imported', target: 'jobs/archive/2025-10/job-1761600000.json' });
    // status.json does not parse; heartbeat.json still makes a status.
    expect(said('build4/heartbeat.json')).toMatchObject({ outcome: 'imported', target: 'status/build4.json' });
    expect(said('Build_3/status.json')).toMatchObject({ outcome: 'imported', target: 'status/build-3.json', note: expect.stringMatching(/not a DNS label/) });
    for (const [source, reason] of [
      ['messages/link.txt', /symlink/],
      ['messages/..', /name git refuses/],
      ['coordination/vendor', /gitlink/],
      ['build4/status.json', /invalid JSON/],
      ['build5/status.json', /larger than/],
      ['messages/binary.txt', /not UTF-8/],
      ['messages/huge.txt', /larger than/],
      ['coordination/jobs.json#job_1761400000', /state "paused"/],
      ['coordination/messages.json#msg_004', /secret/],
      ['coordination/locks.json', /gitfleet needs no locks/],
      ['branch heartbeat-build2', /Build heartbeats of build2/],
    ] as const) {
      expect(said(source)?.reason ?? '', source).toMatch(reason);
    }
  });

  it('status, msg list and job list show the imported fleet', async () => {
    const rows = await json<{ server: string; health: string; cpuPercent: number | null; heldJobs: number }[]>('status');
    expect(rows.map((r) => r.server).sort()).toEqual(['build-3', 'build1', 'build2', 'build4', 'build7']);
    expect(rows.find((r) => r.server === 'build2')).toMatchObject({ cpuPercent: 87.5, heldJobs: 1 });
    const messages = await json<{ from: string; to: string; subject: string; imported?: { key: string } }[]>('msg', 'list');
    expect(messages).toHaveLength(10);
    expect(messages.find((m) => m.subject === 'Disk filling on build2')).toMatchObject({
      from: 'op:claude',
      to: 'all',
      imported: { key: 'coordination/messages.json#msg_002' },
    });
    expect(messages.find((m) => m.subject === 'red alert')).toMatchObject({ from: 'build1' });
    const jobs = await json<{ id: string; state: string }[]>('job', 'list');
    expect(jobs.map((j) => `${j.id}:${j.state}`).sort()).toEqual([
      'job-1761450000:queued',
      'job-1761700000:queued',
      'job-1761781030:running',
      'job-42-urgent:queued',
    ]);
    const archived = await json<{ id: string; state: string }[]>('job', 'list', '--archived');
    expect(archived.map((j) => `${j.id}:${j.state}`).sort()).toEqual(['job-1761500000:dead', 'job-1761600000:succeeded']);
  });

  it('a second run changes nothing and says so', async () => {
    const head = build.head();
    const out = await cli('import', 'build');
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/^0 records imported, 21 already there, 18 not imported, 3 reported; nothing to change \(already imported\), no commit$/m);
    expect(build.head()).toBe(head);
  });

  it('log --by matches a commit author name (Build commits carry no gitfleet trailer)', async () => {
    const entries = await json<{ actor: string; summary: string }[]>('log', '--by', 'planter', '--limit', '2');
    expect(entries.map((e) => e.actor)).toEqual(['planter', 'planter']);
  });

  it('--from reads another repository through the store (js backend over HTTP), and is idempotent too', async () => {
    const into = (...args: string[]) =>
      runGitfleet([...args, '--repo', fleet.httpUrl, '--backend', 'js'], { env: { ...env(), GITFLEET_OPERATOR: 'alice' }, timeoutMs: 60_000 });
    expect((await into('init')).code).toBe(0);
    const first = await into('import', 'build', '--from', build.httpUrl, '--json');
    expect(first.code, first.stderr).toBe(0);
    // The Build tree as it was: the in-place import's records are not Build's, so nothing else changes.
    expect((JSON.parse(first.stdout) as ImportReport).counts).toEqual({ imported: 21, present: 0, skipped: 18, reported: 3 });
    const head = fleet.head();
    const second = await into('import', 'build', '--from', build.httpUrl, '--json');
    expect(JSON.parse(second.stdout)).toMatchObject({ commit: null, counts: { imported: 0, present: 21 } });
    expect(fleet.head()).toBe(head);
    expect((await into('validate')).code).toBe(0);
  });
});
