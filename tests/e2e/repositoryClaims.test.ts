import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeJob } from '../../src/jobs/composeJob.js';
import type { CoordinatorLease, Job, ServerStatus } from '../../src/schema/types.js';
import { validateRecord } from '../../src/schema/validateRecord.js';
import { type FleetRemote, plantFiles, startFleetRemote } from '../helpers/fleetRemote.js';
import { fileAt } from '../helpers/removeFiles.js';
import { runGitfleet } from '../helpers/runGitfleet.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

const FAR = '9999-01-01T00:00:00.000Z';
const json = (value: unknown) => JSON.stringify(value, null, 2);
const statusOf = (server: string, updatedAt: string): ServerStatus => ({
  schemaVersion: 1,
  server,
  updatedAt,
  seq: 1,
  health: { state: 'healthy' },
  heartbeat: { periodSeconds: 60 },
  jobs: { slots: 4, kinds: ['build'], running: [] },
});

/** Times, ids and settings a pusher can write, against real CLI processes on a real remote. */
describe('claims read from the repository are bounded by the reader (real processes)', () => {
  let remote: FleetRemote;
  let work: string;
  let env: Record<string, string>;
  const read = <T>(file: string) => JSON.parse(fileAt(remote.bareDir, file)!.toString()) as T;

  beforeAll(async () => {
    remote = await startFleetRemote();
    work = tempDir();
    env = { GITFLEET_REPO: remote.httpUrl, GITFLEET_CACHE_DIR: path.join(work, 'cache'), GITFLEET_DATA_DIR: path.join(work, 'data') };
    expect((await runGitfleet(['init'], { env })).code).toBe(0);
  }, 60_000);
  afterAll(async () => {
    await remote.close();
    cleanupTempDirs();
  });

  it('a far-future coordinator.json lease: validate flags it, coordinator --once takes the lease and assigns queued jobs (a far-future retryAt too)', async () => {
    const queued = composeJob({ kind: 'build', createdBy: 'op:alice' });
    const failed: Job = { ...composeJob({ kind: 'build', createdBy: 'op:alice' }), state: 'failed', attempts: 1, failures: 1, retryAt: FAR };
    const lease: CoordinatorLease = { schemaVersion: 1, holder: 'mallory', epoch: 5, leaseUntil: FAR, takenAt: new Date().toISOString() };
    plantFiles(remote.bareDir, {
      'coordinator.json': json(lease),
      'status/w-01.json': json(statusOf('w-01', new Date().toISOString())),
      [`jobs/${queued.id}.json`]: json(queued),
      [`jobs/${failed.id}.json`]: json(failed),
    });

    const validate = await runGitfleet(['validate'], { env });
    expect(validate.stdout).toMatch(/warning {2}coordinator\.json: leaseUntil 9999-01-01T00:00:00\.000Z is more than \d+ min ahead/);
    expect(validate.stdout).toMatch(new RegExp(`warning  jobs/${failed.id}\\.json: retryAt 9999`));
    // A warning, not an invalid record: exit 0, and exit 3 only with --strict.
    expect(validate.code).toBe(0);
    expect((await runGitfleet(['validate', '--strict'], { env })).code).toBe(3);

    const tick = await runGitfleet(['coordinator', '--once', '--name', 'coord-1', '--json'], { env });
    expect(tick.code, tick.stderr).toBe(0);
    expect(JSON.parse(tick.stdout)).toMatchObject({ role: 'take' });
    expect(read<CoordinatorLease>('coordinator.json')).toMatchObject({ holder: 'coord-1', epoch: 6 });
    expect(Date.parse(read<CoordinatorLease>('coordinator.json').leaseUntil)).toBeLessThan(Date.now() + 3_600_000);
    for (const id of [queued.id, failed.id])
      expect(read<Job>(`jobs/${id}.json`)).toMatchObject({ state: 'assigned', assignment: { server: 'w-01', assignedBy: 'coord-1', epoch: 6 } });
  }, 120_000);

  it('a status whose updatedAt lies far in the future reads suspect with no age, never "healthy, 0 s ago"', async () => {
    plantFiles(remote.bareDir, { 'status/ahead-01.json': json(statusOf('ahead-01', FAR)) });
    const out = await runGitfleet(['status', '--json'], { env });
    expect(out.code).toBe(0);
    const row = (JSON.parse(out.stdout) as { server: string; health: string; ageSeconds: number | null; reasons: string[] }[]).find(
      (r) => r.server === 'ahead-01',
    );
    expect(row).toMatchObject({ health: 'suspect', ageSeconds: null });
    expect(row!.reasons[0]).toMatch(/ahead of this reader's clock/);
  }, 60_000);

  it("absurd fleet settings (in fleet.json or in an agent's saved state) never make the agent's own status invalid; it warns", async () => {
    const agent = () => runGitfleet(['agent', '--once', '--now', '--server', 'absurd-01'], { env });
    expect((await agent()).code).toBe(0);
    // Settings an agent saved earlier are read back without a schema: bound them anyway.
    const stateDir = path.join(work, 'data', 'agent');
    const stateFile = path.join(stateDir, readdirSync(stateDir).find((f) => f.endsWith('-absurd-01.json'))!);
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as { fleet: { settings: unknown; size: number; seenAt: number } };
    state.fleet.settings = { schemaVersion: 1, pushBudget: { pushesPerMinute: 1e-300 }, heartbeat: { periodSeconds: 1e9, sampleSeconds: -5 } };
    writeFileSync(stateFile, JSON.stringify(state));
    const fromState = await agent();
    expect(fromState.code, fromState.stderr).toBe(0);
    expect(fromState.stderr).toMatch(/fleet\.setting-clamped.*pushBudget\.pushesPerMinute 1e-300 is outside 0\.1\.\.6000/);
    expect(validateRecord('status', read('status/absurd-01.json'))).toEqual([]);

    // fleet.json itself with a budget of 1e-300 pushes a minute (valid under the old schema).
    plantFiles(remote.bareDir, { 'fleet.json': json({ schemaVersion: 1, pushBudget: { pushesPerMinute: 1e-300 } }) });
    const fromRepo = await agent();
    expect(fromRepo.code, fromRepo.stderr).toBe(0);
    expect(fromRepo.stderr).toMatch(/fleet\.json is invalid|pushesPerMinute/);
    const status = read<ServerStatus>('status/absurd-01.json');
    expect(validateRecord('status', status)).toEqual([]);
    expect(status.heartbeat!.periodSeconds).toBeLessThanOrEqual(86_400);
  }, 120_000);
});
