import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostileEdits } from '../helpers/hostileTreeEdits.js';
import { type FleetRemote, startFleetRemote } from '../helpers/fleetRemote.js';
import { plantTreeEntries } from '../helpers/plantTree.js';
import { runGitfleet } from '../helpers/runGitfleet.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

// Tree entries isomorphic-git's parser refuses made every `--backend js` command fail
// with "the local git cache is damaged", even after the entry was removed (log reads history).
describe.each(['js', 'cli'] as const)('the built CLI on a tree with entries git accepts and isomorphic-git refuses (--backend %s)', (backend) => {
  let remote: FleetRemote;
  let env: Record<string, string>;
  let invalidBefore: { path: string; reason: string }[] = [];

  beforeAll(async () => {
    remote = await startFleetRemote();
    const work = tempDir('gitfleet-hostile-tree-');
    env = {
      GITFLEET_REPO: remote.httpUrl,
      GITFLEET_BACKEND: backend,
      GITFLEET_CACHE_DIR: path.join(work, 'cache'),
      GITFLEET_DATA_DIR: path.join(work, 'data'),
    };
    expect((await runGitfleet(['init', '--name', 'hostile'], { env })).code).toBe(0);
    const blob = execFileSync('git', ['--git-dir', remote.bareDir, 'hash-object', '-w', '--stdin'], { input: 'x' }).toString().trim();
    plantTreeEntries(remote.bareDir, hostileEdits(blob), { message: 'plant hostile entries' });
  }, 180_000);
  afterAll(async () => {
    await remote.close();
    cleanupTempDirs();
  });

  it('validate lists every hostile entry (gitlinks included) as invalid, and reads the records', async () => {
    const run = await runGitfleet(['validate', '--json', '--backend', backend], { env });
    expect(run.stderr).not.toMatch(/damaged/);
    expect(run.code).toBe(3);
    const report = JSON.parse(run.stdout) as { counts: { status: number }; errors: { path: string; reason: string }[] };
    expect(report.counts.status).toBe(2);
    const reasons = Object.fromEntries(report.errors.map((e) => [e.path, e.reason]));
    expect(reasons['status/sub-1.json']).toMatch(/gitlink/);
    expect(reasons['jobs/gitlink']).toMatch(/gitlink/);
    expect(reasons['status/link-1.json']).toMatch(/symlink/);
    expect(reasons['status/.git']).toMatch(/name git refuses/);
    invalidBefore = report.errors;
  }, 180_000);

  it('status and an agent work; the agent publishes on top of the hostile tree', async () => {
    const agent = await runGitfleet(['agent', '--once', '--now', '--server', 'web-01', '--backend', backend], { env });
    expect(agent.stderr).not.toMatch(/damaged/);
    expect(agent.code).toBe(0);
    const status = await runGitfleet(['status', '--json', '--backend', backend], { env });
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('web-01');
    const again = JSON.parse((await runGitfleet(['validate', '--json', '--backend', backend], { env })).stdout) as { errors: unknown[] };
    expect(again.errors).toEqual(invalidBefore);
  }, 180_000);

  it('log works, and still works once the entries are removed (they stay in history)', async () => {
    const log = await runGitfleet(['log', '--files', '--json', '--backend', backend], { env });
    expect(log.stderr).not.toMatch(/damaged/);
    expect(log.code).toBe(0);
    expect(log.stdout).toContain('plant hostile entries');
    plantTreeEntries(
      remote.bareDir,
      [
        { folder: 'status', name: '.git', remove: true },
        { folder: 'status', name: 'sub-1.json', remove: true },
        { folder: 'jobs', name: 'gitlink', remove: true },
      ],
      { message: 'remove some' },
    );
    const after = await runGitfleet(['log', '--files', '--json', '--backend', backend], { env });
    expect(after.code).toBe(0);
    const entries = JSON.parse(after.stdout) as { message?: string; subject?: string; files?: { path: string }[] }[];
    expect(after.stdout).toContain('remove some');
    expect(after.stdout).toContain('plant hostile entries');
    expect(entries.length).toBeGreaterThanOrEqual(4);
    const validate = JSON.parse((await runGitfleet(['validate', '--json', '--backend', backend], { env })).stdout) as { errors: { path: string }[] };
    expect(validate.errors.map((e) => e.path)).not.toContain('status/sub-1.json');
  }, 180_000);
});
