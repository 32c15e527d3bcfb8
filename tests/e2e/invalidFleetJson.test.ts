import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeJob } from '../../src/jobs/composeJob.js';
import type { Job, ServerStatus } from '../../src/schema/types.js';
import { type FleetRemote, plantFiles, startFleetRemote } from '../helpers/fleetRemote.js';
import { fileAt } from '../helpers/removeFiles.js';
import { runGitfleet } from '../helpers/runGitfleet.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

/** A fleet.json an operator broke by hand: valid JSON, rich content, one field wrong. */
const BROKEN_FLEET = `${JSON.stringify(
  {
    schemaVersion: 1,
    name: 'acme',
    heartbeat: { periodSeconds: 30 },
    health: { disk: { degraded: 70, failing: 85 } },
    drain: ['db-01', 'web-02'],
    placement: { maxJobsPerServer: 'four' },
  },
  null,
  2,
)}\n`;

describe('an invalid fleet.json is never rewritten, and readers say it is invalid (real processes)', () => {
  let remote: FleetRemote;
  let env: Record<string, string>;
  let held: Job;

  beforeAll(async () => {
    remote = await startFleetRemote();
    const work = tempDir();
    env = { GITFLEET_REPO: remote.httpUrl, GITFLEET_CACHE_DIR: path.join(work, 'cache'), GITFLEET_DATA_DIR: path.join(work, 'data') };
    expect((await runGitfleet(['init'], { env })).code).toBe(0);
    const status: ServerStatus = {
      schemaVersion: 1,
      server: 'web-02',
      updatedAt: new Date().toISOString(),
      seq: 1,
      health: { state: 'healthy' },
      jobs: { slots: 1, kinds: ['build'], running: [] },
    };
    const job = composeJob({ kind: 'build', createdBy: 'op:alice' });
    held = {
      ...job,
      state: 'assigned',
      attempts: 1,
      assignment: { server: 'web-02', attempt: 1, claimId: 'c0ffee00', assignedAt: new Date().toISOString(), assignedBy: 'coord-1', epoch: 1 },
    };
    plantFiles(remote.bareDir, { 'fleet.json': BROKEN_FLEET, 'status/web-02.json': JSON.stringify(status), [`jobs/${held.id}.json`]: JSON.stringify(held) });
  }, 60_000);
  afterAll(async () => {
    await remote.close();
    cleanupTempDirs();
  });

  it.each([
    ['drain', ['drain', 'web-01']],
    ['undrain', ['undrain', 'db-01']],
    ['failover', ['failover', 'web-02']],
    ['failover --no-drain', ['failover', 'web-02', '--no-drain']],
  ])(
    '%s is refused with exit 3; fleet.json and the jobs stay byte-identical',
    async (_, args) => {
      const head = remote.head();
      const out = await runGitfleet(args, { env });
      expect(out.code).toBe(3);
      expect(out.stderr).toMatch(
        /fleet\.json is invalid \(placement\.maxJobsPerServer: must be integer\); refusing to rewrite it: fix fleet\.json \(gitfleet validate\) first/,
      );
      expect(out.stderr.trim().split('\n')).toHaveLength(1);
      expect(remote.head()).toBe(head);
      expect(fileAt(remote.bareDir, 'fleet.json')!.toString()).toBe(BROKEN_FLEET);
      expect(JSON.parse(fileAt(remote.bareDir, `jobs/${held.id}.json`)!.toString())).toEqual(held);
    },
    60_000,
  );

  it('validate says fleet.json is present but invalid (not absent) and exits 3', async () => {
    const out = await runGitfleet(['validate'], { env });
    expect(out.code).toBe(3);
    expect(out.stdout).toMatch(/fleet\.json present but invalid/);
    expect(out.stdout).not.toMatch(/fleet\.json absent/);
    expect(out.stdout).toMatch(/invalid {2}fleet\.json: placement\.maxJobsPerServer: must be integer/);
  }, 60_000);

  it('status and the coordinator warn loudly that fleet.json is invalid, naming the reason', async () => {
    const status = await runGitfleet(['status', '--json'], { env });
    expect(status.code).toBe(0);
    expect(status.stderr).toMatch(/warning: fleet\.json is invalid \(placement\.maxJobsPerServer: must be integer\).*drain list is ignored/);
    expect(() => JSON.parse(status.stdout)).not.toThrow();
    const coordinator = await runGitfleet(['coordinator', '--once', '--name', 'coord-1'], { env });
    expect(coordinator.stderr).toMatch(/fleet\.invalid.*placement\.maxJobsPerServer: must be integer/);
    expect(fileAt(remote.bareDir, 'fleet.json')!.toString()).toBe(BROKEN_FLEET);
    const agent = await runGitfleet(['agent', '--once', '--now', '--server', 'web-09'], { env });
    expect(agent.code).toBe(0);
    expect(agent.stderr).toMatch(/fleet\.invalid.*placement\.maxJobsPerServer: must be integer/);
  }, 120_000);

  it('a coordinator keeps the last valid fleet.json it saw (its drain list) across --once runs while the file is invalid', async () => {
    const other = await startFleetRemote();
    try {
      const work = tempDir();
      const env2 = { GITFLEET_REPO: other.httpUrl, GITFLEET_CACHE_DIR: path.join(work, 'cache'), GITFLEET_DATA_DIR: path.join(work, 'data') };
      expect((await runGitfleet(['init'], { env: env2 })).code).toBe(0);
      const status: ServerStatus = {
        schemaVersion: 1,
        server: 'w-02',
        updatedAt: new Date().toISOString(),
        seq: 1,
        health: { state: 'healthy' },
        jobs: { slots: 2, kinds: ['build'], running: [] },
      };
      plantFiles(other.bareDir, { 'fleet.json': JSON.stringify({ schemaVersion: 1, drain: ['w-02'] }), 'status/w-02.json': JSON.stringify(status) });
      expect((await runGitfleet(['coordinator', '--once', '--name', 'coord-k'], { env: env2 })).code).toBe(0);

      const job = composeJob({ kind: 'build', createdBy: 'op:alice' });
      plantFiles(other.bareDir, {
        'fleet.json': JSON.stringify({ schemaVersion: 1, drain: ['w-02'], placement: { maxJobsPerServer: 'four' } }),
        [`jobs/${job.id}.json`]: JSON.stringify(job),
      });
      const tick = await runGitfleet(['coordinator', '--once', '--name', 'coord-k'], { env: env2 });
      expect(tick.code, tick.stderr).toBe(0);
      expect(tick.stderr).toMatch(/fleet\.invalid.*the last valid settings this coordinator saw stay in force/);
      // w-02 is drained in the last valid fleet.json (its own status does not say so): no job for it.
      expect((JSON.parse(fileAt(other.bareDir, `jobs/${job.id}.json`)!.toString()) as Job).state).toBe('queued');
    } finally {
      await other.close();
    }
  }, 120_000);
});
