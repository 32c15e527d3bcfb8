import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plantFiles, startFleetRemote, type FleetRemote } from '../helpers/fleetRemote.js';
import { composeJob } from '../../src/jobs/composeJob.js';
import { assignJob } from '../../src/jobs/jobLifecycle.js';
import { runGitfleet } from '../helpers/runGitfleet.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

const statusOf = (server: string, updatedAt: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ schemaVersion: 1, server, updatedAt, seq: 1, health: { state: 'healthy' }, ...extra });

describe('gitfleet status says what an operator needs', () => {
  let remote: FleetRemote;
  let cacheDir: string;
  const env = () => ({ GITFLEET_CACHE_DIR: cacheDir, GITFLEET_DATA_DIR: path.join(cacheDir, 'data') });
  const status = (...args: string[]) => runGitfleet(['status', '--repo', remote.bareDir, ...args], { env: env() });

  beforeAll(async () => {
    remote = await startFleetRemote();
    cacheDir = tempDir();
    expect((await runGitfleet(['init', '--repo', remote.bareDir], { env: env() })).code).toBe(0);
  });
  afterAll(async () => {
    await remote.close();
    cleanupTempDirs();
  });

  it('counts in English: one server is "1 server"', async () => {
    plantFiles(remote.bareDir, { 'status/web-01.json': statusOf('web-01', new Date().toISOString(), { labels: ['web'] }) });
    const out = await status();
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^1 server: 1 /m);
  });

  it('shows a drain from fleet.json at once, also for a server that never reports again', async () => {
    // web-02 went silent an hour ago: its own status will never say it is drained.
    plantFiles(remote.bareDir, { 'status/web-02.json': statusOf('web-02', new Date(Date.now() - 3_600_000).toISOString(), { labels: ['web'] }) });
    const drain = await runGitfleet(['drain', 'web-02', '--repo', remote.bareDir], { env: env() });
    expect(drain.code).toBe(0);
    const rows = JSON.parse((await status('--json')).stdout) as { server: string; draining: boolean; health: string }[];
    expect(rows.find((r) => r.server === 'web-02')).toMatchObject({ draining: true, health: 'offline' });
    expect(rows.find((r) => r.server === 'web-01')).toMatchObject({ draining: false });
    expect((await status()).stdout).toMatch(/web-02 \(draining\)/);
    expect((await runGitfleet(['undrain', 'web-02', '--repo', remote.bareDir], { env: env() })).code).toBe(0);
    const after = JSON.parse((await status('--json')).stdout) as { server: string; draining: boolean }[];
    expect(after.find((r) => r.server === 'web-02')).toMatchObject({ draining: false });
  });

  it('refuses a health state that does not exist, naming the choices', async () => {
    const out = await status('--health', 'sick');
    expect(out.code).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(/health/);
    expect(out.stderr).toMatch(/offline/);
  });

  it('says when filters match nothing instead of "no servers have reported yet"', async () => {
    const byLabel = await status('--label', 'nosuch');
    expect(byLabel.code).toBe(0);
    expect(byLabel.stdout.trim()).toBe('no server matches --label nosuch (2 servers reported; labels in the fleet: web)');
    const byHealth = await status('--health', 'failing');
    expect(byHealth.stdout).toMatch(/^no server matches --health failing \(2 servers reported; states in the fleet: /);
    expect(byHealth.stdout).not.toMatch(/have reported yet/);
    const some = await status('--health', 'offline');
    expect(some.stdout).toMatch(/^1 server \(of 2\): 1 offline$/m);
  });

  it('shows a failover at once: JOBS counts what jobs/ says a server holds, not its last report', async () => {
    // web-02 is silent; its last status said it ran one job, and jobs/ agrees until the failover.
    const job = assignJob(composeJob({ kind: 'build', createdBy: 'op:test' }), {
      server: 'web-02',
      claimId: 'abcdef0123',
      epoch: 1,
      actor: 'op:test',
      now: new Date(),
    });
    plantFiles(remote.bareDir, { [`jobs/${job.id}.json`]: JSON.stringify(job) });
    const held = (rows: { server: string; heldJobs: number }[]) => rows.find((r) => r.server === 'web-02')?.heldJobs;
    expect(held(JSON.parse((await status('--json')).stdout))).toBe(1);
    expect((await status()).stdout).toMatch(/web-02 +offline .* 1 /);
    const failover = await runGitfleet(['failover', 'web-02', '--repo', remote.bareDir, '--json'], { env: env() });
    expect(failover.code).toBe(0);
    expect(held(JSON.parse((await status('--json')).stdout))).toBe(0);
  });

  it('shows uptime over 30 days in the table and each of the 90 days in --json', async () => {
    const today = new Date().toISOString().slice(0, 10);
    plantFiles(remote.bareDir, {
      'status/web-03.json': statusOf('web-03', new Date().toISOString(), { uptime: { from: today, days: [[3_000, 1_000]] } }),
    });
    const table = await status();
    expect(table.stdout).toMatch(/^web-03 .* 75\.0%/m);
    const rows = JSON.parse((await status('--json')).stdout) as { server: string; uptime: { pct30: number; days: { date: string; up: number }[] } }[];
    const uptime = rows.find((r) => r.server === 'web-03')!.uptime;
    expect(uptime.pct30).toBe(75);
    expect(uptime.days).toHaveLength(90);
    expect(uptime.days.at(-1)).toMatchObject({ date: today, up: 3_000, down: 1_000 });
  });
});
