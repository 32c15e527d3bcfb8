import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFleet } from '../../src/config/openFleet.js';
import { resolveConfig } from '../../src/config/resolveConfig.js';
import { compactHistory } from '../../src/fleet/compactHistory.js';
import { initFleetPlan } from '../../src/settings/initFleetPlan.js';
import { createBareRepo } from '../../src/git/server/createBareRepo.js';
import { GitHttpServer } from '../../src/git/server/GitHttpServer.js';
import { ChangeSet } from '../../src/store/ChangeSet.js';
import { openStore } from '../helpers/openStore.js';
import { runGitfleet } from '../helpers/runGitfleet.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

const BIN = path.resolve(import.meta.dirname, '../../dist/gitfleet.js');
const status = (server: string, seq: number) => ({
  schemaVersion: 1 as const,
  server,
  updatedAt: new Date().toISOString(),
  seq,
  health: { state: 'healthy' as const },
});

describe('gitfleet compact', () => {
  let bareDir: string;
  let server: GitHttpServer;
  let url: string;
  let agent: ChildProcess;
  const git = (...args: string[]) =>
    execFileSync('git', ['--git-dir', bareDir, ...args])
      .toString()
      .trim();

  beforeAll(async () => {
    const root = tempDir();
    bareDir = path.join(root, 'fleet.git');
    await createBareRepo(bareDir, 'main', { allowRewrite: true });
    server = await new GitHttpServer({ projectRoot: root }).start();
    url = `${server.url}/fleet.git`;
    const store = openStore({ url });
    await store.transact(
      'init',
      initFleetPlan({ heartbeat: { periodSeconds: 10, sampleSeconds: 5, skipUnchanged: false }, pushBudget: { pushesPerMinute: 600 } }),
      { createBranch: true },
    );
    for (let i = 1; i <= 30; i++) await store.transact(`old ${i}`, () => new ChangeSet().put('status', status(`old-${i % 5}`, i)));
    // A real agent keeps publishing through the rewrite.
    const work = tempDir();
    agent = spawn(process.execPath, [BIN, 'agent', '--simulate', '--server', 'live-01'], {
      env: { ...process.env, GITFLEET_REPO: url, GITFLEET_CACHE_DIR: path.join(work, 'cache'), GITFLEET_DATA_DIR: path.join(work, 'data') },
      stdio: 'ignore',
    });
  });
  afterAll(async () => {
    agent.kill('SIGKILL');
    await server.stop();
    cleanupTempDirs();
  });

  it('folds old history, keeps the content, survives a concurrent push, and running agents carry on', async () => {
    await new Promise((r) => setTimeout(r, 8_000));
    const before = new Date(Date.now() - 3_000);
    const count = Number(git('rev-list', '--count', 'main'));
    const work = tempDir();
    const config = resolveConfig({ repo: url, cacheDir: path.join(work, 'cache'), dataDir: path.join(work, 'data') }, {});
    const fleet = openFleet(config, { actor: 'op:test' });
    let interfered = false;
    const result = await compactHistory(fleet.store, {
      before,
      // The first time, another writer lands a commit between the rewrite and its push:
      // the lease must catch it and the rewrite must be redone, keeping that commit.
      beforePush: async () => {
        if (interfered) return;
        interfered = true;
        await openStore({ url }).transact('sneaky', () => new ChangeSet().put('status', status('sneaky-01', 1)));
      },
    });
    expect(result.status).toBe('compacted');
    expect(result.attempts).toBeGreaterThanOrEqual(2);
    expect(Number(git('rev-list', '--count', 'main'))).toBeLessThan(count - 20);
    expect(git('log', '--format=%s', '--reverse', 'main').split('\n')[0]).toMatch(/^gitfleet compact: snapshot of the fleet before/);
    const snap = await openStore({ url }).snapshot();
    const { records, invalid } = await snap.list('status');
    expect(invalid).toEqual([]);
    expect(records.map((r) => r.server)).toEqual(expect.arrayContaining(['old-0', 'old-4', 'sneaky-01', 'live-01']));
    // The agent, whose cache holds the old history, publishes again by itself.
    const seqBefore = records.find((r) => r.server === 'live-01')!.seq;
    const end = Date.now() + 30_000;
    let seqAfter = seqBefore;
    while (Date.now() < end && seqAfter <= seqBefore) {
      await new Promise((r) => setTimeout(r, 1000));
      seqAfter = (await (await openStore({ url }).snapshot()).get('status', 'live-01'))?.seq ?? 0;
    }
    expect(seqAfter).toBeGreaterThan(seqBefore);
    expect(git('merge-base', '--is-ancestor', result.newHead!, 'main')).toBe('');
  }, 120_000);

  it('says so when the remote refuses rewrites, and changes nothing', async () => {
    const root = tempDir();
    const strict = path.join(root, 'strict.git');
    await createBareRepo(strict);
    const env = { GITFLEET_CACHE_DIR: path.join(root, 'cache'), GITFLEET_DATA_DIR: path.join(root, 'data') };
    await runGitfleet(['init', '--repo', strict], { env });
    const store = openStore({ url: strict });
    for (let i = 0; i < 3; i++) await store.transact('x', () => new ChangeSet().put('status', status('a', i + 1)));
    const head = execFileSync('git', ['--git-dir', strict, 'rev-parse', 'main']).toString();
    const out = await runGitfleet(['compact', '--repo', strict, '--older-than', '2026-01-01T00:00:00Z'], { env });
    expect(out.stdout + out.stderr).toMatch(/nothing older than/);
    const refused = await runGitfleet(['compact', '--repo', strict, '--older-than', '0s'], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/refuses to rewrite main; compaction needs force pushes/);
    expect(execFileSync('git', ['--git-dir', strict, 'rev-parse', 'main']).toString()).toBe(head);
    const bad = await runGitfleet(['compact', '--repo', strict], { env });
    expect(bad).toMatchObject({ code: 2, stderr: expect.stringMatching(/--older-than 7d/) });
  });
});
