import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeJob } from '../../src/jobs/composeJob.js';
import type { Job } from '../../src/schema/types.js';
import { plantFiles } from '../helpers/fleetRemote.js';
import { JobFleet, TEST_KINDS, waitFor, type Kinds } from '../helpers/jobFleet.js';
import { runGitfleet } from '../helpers/runGitfleet.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

const TERMINAL = new Set(['succeeded', 'cancelled', 'dead']);

describe('jobs, run by real agent and coordinator processes', () => {
  let fleet: JobFleet;
  let markers: string;
  const byId = async (ids: string[]) => {
    const all = new Map((await fleet.jobs()).map((j) => [j.id, j]));
    return ids.map((id) => all.get(id));
  };
  // Bounds on waits are for failure detection only: generous, so that a loaded 2-core
  // machine (heartbeats late, jobs slow to start) passes too; a quiet one settles in seconds.
  const settled = async (ids: string[], timeoutMs = 240_000) => {
    expect(await waitFor(async () => (await byId(ids)).every((j) => j && TERMINAL.has(j.state)), timeoutMs)).toBe(true);
    return (await byId(ids)) as Job[];
  };
  const cli = (args: string[]) => runGitfleet([...args, '--repo', fleet.remote.httpUrl, '--cache-dir', path.join(fleet.work, 'cache', 'cli')]);

  beforeAll(async () => {
    fleet = await JobFleet.start();
    markers = tempDir('gitfleet-markers-');
    // A kind that leaves a trace: if a refused job ever ran, a file would appear here.
    const kinds: Kinds = { ...TEST_KINDS, touch: { argv: ['/usr/bin/touch', `${markers}/{name}`], params: { name: '[a-z]{1,10}' } } };
    fleet.startAgent('jobs-a', { kinds });
    fleet.startAgent('jobs-b', { kinds });
    fleet.startCoordinator('coord-a');
    const ready = async () => (await (await fleet.store.snapshot()).list('status')).records.filter((s) => s.jobs?.kinds?.includes('touch')).length === 2;
    expect(await waitFor(ready, 120_000)).toBe(true);
  }, 180_000);

  afterAll(async () => {
    await fleet?.close();
    cleanupTempDirs();
  });

  it('runs jobs to success with an output tail and a log on the server; a failing job is retried, then dead, and can be retried', async () => {
    const ok = await fleet.submitMany(
      Array.from({ length: 6 }, (_, i) => ({ kind: 'work', params: { seconds: '0.2' }, priority: i === 5 ? ('critical' as const) : ('normal' as const) })),
    );
    const [bad] = await fleet.submitMany([{ kind: 'fail', params: { seconds: '0' }, maxAttempts: 2 }]);
    const done = await settled([...ok.map((j) => j.id), bad!.id]);
    for (const job of done.slice(0, 6)) {
      expect(job.state).toBe('succeeded');
      expect(job.result?.exitCode).toBe(0);
      expect(job.result?.outputTail).toContain('done after 0.2 s');
      expect(readFileSync(job.result!.logPath!, 'utf8')).toContain('done after 0.2 s');
      expect(job.history?.filter((h) => h.outcome === 'succeeded')).toHaveLength(1);
    }
    const dead = done[6]!;
    expect(dead.state).toBe('dead');
    expect(dead.attempts).toBe(2);
    expect(dead.failures).toBe(2);
    expect(dead.history?.map((h) => h.outcome)).toEqual(['failed', 'failed']);
    expect(dead.reason).toMatch(/no attempts left \(2 of 2\)/);
    // A retry prefers a server that has not failed it yet (src/jobs/placement.test.ts, "avoid
    // is a preference"); here only that both attempts ran on fleet servers is asserted,
    // since on a loaded machine the other server may be suspect (a late heartbeat) at the
    // moment of the retry, and then the same server is the right choice.
    expect(dead.history?.every((h) => h.server === 'jobs-a' || h.server === 'jobs-b')).toBe(true);

    const retried = await cli(['job', 'retry', bad!.id]);
    expect(retried.code, retried.stderr).toBe(0);
    const [again] = await settled([bad!.id]);
    expect(again!.state).toBe('dead');
    expect(again!.attempts).toBe(4);
    const show = await cli(['job', 'show', bad!.id]);
    expect(show.stdout).toContain('failing on purpose');
  }, 360_000);

  it('refuses hand-pushed hostile jobs with a reason in the record, and never runs them', async () => {
    const base = (name: string, extra: Partial<Job> = {}): Job => ({ ...composeJob({ kind: 'touch', params: { name }, createdBy: 'op:mallory' }), ...extra });
    const hostile: Record<string, Job | string> = {
      unknownkind: base('x', { kind: 'rm-everything' }),
      shellmeta: base('x', { params: { name: 'a; touch pwned' } }),
      badpattern: base('x', { params: { name: '../../etc' } }),
      extraparam: base('x', { params: { name: 'ok', argv0: '/bin/sh' } }),
      cyclea: base('cyclea', { dependsOn: ['cycleb'] }),
      cycleb: base('cycleb', { dependsOn: ['cyclea'] }),
    };
    // An unreadable file is never rewritten (a plan cannot know what it would destroy), nor run.
    const huge = JSON.stringify({ ...base('x'), id: 'hugeparam', params: { name: 'a'.repeat(1024 * 1024) } });
    const files: Record<string, string> = { 'jobs/hugeparam.json': huge };
    for (const [id, job] of Object.entries(hostile)) files[`jobs/${id}.json`] = typeof job === 'string' ? job : JSON.stringify({ ...job, id });
    plantFiles(fleet.remote.bareDir, files);

    const jobs = await settled(Object.keys(hostile));
    const reason = Object.fromEntries(Object.keys(hostile).map((id, i) => [id, jobs[i]!]));
    for (const job of jobs) {
      expect(job.state).toBe('cancelled');
      expect(job.reason).toMatch(/^refused: /);
      expect(job.history?.at(-1)?.outcome).toBe('refused');
      expect(job.history?.some((h) => h.startedAt)).toBe(false);
    }
    expect(reason.unknownkind!.reason).toMatch(/unknown kind rm-everything/);
    expect(reason.shellmeta!.reason).toMatch(/parameter name does not match its pattern/);
    expect(reason.badpattern!.reason).toMatch(/parameter name does not match its pattern/);
    expect(reason.extraparam!.reason).toMatch(/takes no parameter argv0/);
    expect(reason.cyclea!.reason).toMatch(/dependency cycle/);
    expect(reason.cycleb!.reason).toMatch(/dependency cycle/);
    expect(readdirSync(markers)).toEqual([]);
    expect(execFileSync('git', ['--git-dir', fleet.remote.bareDir, 'show', 'main:jobs/hugeparam.json'], { maxBuffer: 16 * 1024 * 1024 }).toString()).toBe(huge);
    // validate still lists the unreadable file with its reason.
    const validate = await cli(['validate']);
    expect(validate.code, validate.stdout + validate.stderr).toBe(3);
    expect(validate.stdout).toMatch(/invalid {2}jobs\/hugeparam\.json: file is 1\.0 MiB/);
  }, 360_000);

  it('stops a running job when it is cancelled, and cancels the jobs that depended on it', async () => {
    const long = await fleet.submit({ kind: 'work', params: { seconds: '60' } });
    const after = await fleet.submit({ kind: 'touch', params: { name: 'after' }, dependsOn: [long.id] });
    expect(await waitFor(async () => (await byId([long.id]))[0]?.state === 'running', 120_000)).toBe(true);
    const cancel = await cli(['job', 'cancel', long.id, '--reason', 'wrong branch']);
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(cancel.stdout).toMatch(/cancel requested/);
    const [stopped, dependent] = await settled([long.id, after.id], 120_000);
    expect(stopped!.state).toBe('cancelled');
    expect(stopped!.reason).toMatch(/^cancelled by op:[a-z0-9-]+: wrong branch$/);
    expect(stopped!.history?.at(-1)?.outcome).toBe('cancelled');
    // Stopped by the cancel, not by running its 60 s to the end.
    expect(stopped!.result!.durationMs).toBeLessThan(60_000);
    expect(dependent!.state).toBe('cancelled');
    expect(dependent!.reason).toContain(`dependency ${long.id} ended cancelled`);
    expect(existsSync(path.join(markers, 'after'))).toBe(false);
  }, 360_000);

  it('submit refuses what it can tell is wrong, with exit 2 and nothing written', async () => {
    // Agents and the coordinator keep committing: "nothing written" means no new job.
    const before = (await fleet.jobs()).map((j) => j.id).sort();
    for (const args of [
      ['job', 'submit', 'no-such-kind'],
      ['job', 'submit', 'work', '-p', 'seconds'],
      ['job', 'submit', 'work', '--depends-on', 'nosuchjob'],
      ['job', 'submit', 'Work!'],
      ['job', 'submit', 'work', '--timeout', 'soon'],
    ]) {
      const run = await cli(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect((await fleet.jobs()).map((j) => j.id).sort()).toEqual(before);
  }, 360_000);
});
