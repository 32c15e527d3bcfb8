import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeJob } from '../../src/jobs/composeJob.js';
import { assignJob, startJob } from '../../src/jobs/jobLifecycle.js';
import type { Job, ServerStatus } from '../../src/schema/types.js';
import { type FleetRemote, plantFiles, startFleetRemote } from '../helpers/fleetRemote.js';
import { fileAt } from '../helpers/removeFiles.js';
import { runGitfleet } from '../helpers/runGitfleet.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

/** What failover and job cancel print comes from the plan that landed (real processes). */
describe('operator commands print what their transaction wrote', () => {
  let remote: FleetRemote;
  let env: Record<string, string>;
  const now = new Date();
  const job = (kind: string) => composeJob({ kind, createdBy: 'op:alice', now: now.getTime() - 60_000 });
  const on = (j: Job, server: string) => assignJob(j, { server, claimId: 'c0ffee00', epoch: 1, actor: 'coord-1', now });
  const [a, b, c, queued, running] = [job('build'), job('build'), job('build'), job('build'), job('build')];
  const held = [on(a, 'web-02'), startJob(on(b, 'web-02'), now), on(c, 'web-03')];
  const run = (args: string[]) => runGitfleet(args, { env });

  beforeAll(async () => {
    remote = await startFleetRemote();
    const work = tempDir();
    env = { GITFLEET_REPO: remote.httpUrl, GITFLEET_CACHE_DIR: path.join(work, 'cache'), GITFLEET_DATA_DIR: path.join(work, 'data') };
    expect((await run(['init'])).code).toBe(0);
    const status: ServerStatus = {
      schemaVersion: 1,
      server: 'web-02',
      updatedAt: now.toISOString(),
      seq: 1,
      health: { state: 'healthy' },
      jobs: { slots: 1, kinds: ['build'], running: [] },
    };
    const files = Object.fromEntries([...held, queued, startJob(on(running, 'web-04'), now)].map((j) => [`jobs/${j.id}.json`, JSON.stringify(j)]));
    plantFiles(remote.bareDir, { 'status/web-02.json': JSON.stringify(status), ...files });
  }, 60_000);
  afterAll(async () => {
    await remote.close();
    cleanupTempDirs();
  });

  it('failover lists the jobs it took back and drains the server; a second one finds none', async () => {
    const out = await run(['failover', 'web-02', '--json']);
    expect(out.code, out.stderr).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual({ server: 'web-02', requeued: [a.id, b.id].sort(), drained: true });
    expect(JSON.parse(fileAt(remote.bareDir, 'fleet.json')!.toString()).drain).toEqual(['web-02']);
    expect(JSON.parse(fileAt(remote.bareDir, `jobs/${c.id}.json`)!.toString()).state).toBe('assigned');
    const again = await run(['failover', 'web-02', '--no-drain']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout.trim()).toBe('web-02: 0 jobs taken back');
  }, 120_000);

  it('job cancel prints the state it wrote: cancelled at once, or a request to the server running it', async () => {
    const cancelled = await run(['job', 'cancel', queued.id]);
    expect(cancelled.code, cancelled.stderr).toBe(0);
    expect(cancelled.stdout.trim()).toBe(`${queued.id}: cancelled`);
    const requested = await run(['job', 'cancel', running.id, '--json']);
    expect(requested.code, requested.stderr).toBe(0);
    expect(JSON.parse(requested.stdout)).toEqual({ id: running.id, state: 'running', cancelRequested: true });
    const text = await run(['job', 'cancel', running.id]);
    expect(text.stdout.trim()).toBe(`${running.id}: cancel requested; web-04 stops it at its next poll`);
  }, 120_000);
});
