import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBareRepo } from '../../src/git/server/createBareRepo.js';
import { GitHttpServer } from '../../src/git/server/GitHttpServer.js';
import { initFleetPlan } from '../../src/settings/initFleetPlan.js';
import { ChangeSet } from '../../src/store/ChangeSet.js';
import { waitFor } from '../helpers/jobFleet.js';
import { openStore } from '../helpers/openStore.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

const BIN = path.resolve(import.meta.dirname, '../../dist/gitfleet.js');
// The settings under test: every wait below is derived from them.
const HEARTBEAT_S = 10;
const LEASE_S = 10;
const TICK_S = 2;
const EVERY_S = 15;
const DASHBOARD_POLL_S = 1;
const status = (server: string, seq: number) => ({
  schemaVersion: 1 as const,
  server,
  updatedAt: new Date().toISOString(),
  seq,
  health: { state: 'healthy' as const },
});

/** A process of the built CLI whose output and log (stdout and stderr) are kept, line by line. */
function start(args: string[], env: Record<string, string>): { child: ChildProcess; lines: string[] } {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  for (const stream of [child.stdout!, child.stderr!]) {
    let rest = '';
    stream.on('data', (chunk: Buffer) => {
      const parts = (rest + chunk.toString()).split('\n');
      rest = parts.pop() ?? '';
      lines.push(...parts);
    });
  }
  return { child, lines };
}

/**
 * Issue 15 item 4: the coordinator that holds the lease compacts history on the schedule
 * of fleet.json, while a real agent daemon and the coordinator itself keep working
 * through the rewrite, and no record is lost.
 */
describe('scheduled compaction by the coordinator', () => {
  let bareDir: string;
  let server: GitHttpServer;
  let url: string;
  let agent: ReturnType<typeof start>;
  let coordinator: ReturnType<typeof start>;
  let dashboard: ReturnType<typeof start>;
  const git = (...args: string[]) =>
    execFileSync('git', ['--git-dir', bareDir, ...args])
      .toString()
      .trim();
  const isAncestor = (a: string, b: string) => {
    try {
      git('merge-base', '--is-ancestor', a, b);
      return true;
    } catch {
      return false;
    }
  };
  const env = () => {
    const work = tempDir();
    return { GITFLEET_REPO: url, GITFLEET_CACHE_DIR: path.join(work, 'cache'), GITFLEET_DATA_DIR: path.join(work, 'data'), GITFLEET_LOG_LEVEL: 'info' };
  };

  beforeAll(async () => {
    const root = tempDir();
    bareDir = path.join(root, 'fleet.git');
    await createBareRepo(bareDir, 'main', { allowRewrite: true });
    server = await new GitHttpServer({ projectRoot: root }).start();
    url = `${server.url}/fleet.git`;
    const store = openStore({ url });
    await store.transact(
      'init',
      initFleetPlan({
        heartbeat: { periodSeconds: HEARTBEAT_S, sampleSeconds: 5, skipUnchanged: false },
        pushBudget: { pushesPerMinute: 600 },
        coordinator: { leaseSeconds: LEASE_S, tickSeconds: TICK_S },
        compaction: { every: `${EVERY_S}s`, keepDays: 0, targetMiB: 512 },
      }),
      { createBranch: true },
    );
    // History to fold, and records that must survive it.
    for (let i = 1; i <= 30; i++) await store.transact(`old ${i}`, () => new ChangeSet().put('status', status(`old-${i % 5}`, i)));
    agent = start(['agent', '--simulate', '--server', 'live-01'], env());
    coordinator = start(['coordinator', '--name', 'coord-a'], env());
    dashboard = start(['serve', '--port', '0', '--poll', `${DASHBOARD_POLL_S}s`], env());
  }, 60_000);
  afterAll(async () => {
    agent?.child.kill('SIGKILL');
    coordinator?.child.kill('SIGKILL');
    dashboard?.child.kill('SIGKILL');
    await server.stop();
    cleanupTempDirs();
  });

  it('compacts on schedule; the agent and the coordinator carry on and no record is lost', async () => {
    const compacted = () => coordinator.lines.filter((l) => l.includes('coordinator.compacted') && /status\W+compacted/.test(l));
    // The first leader tick compacts (never run before), then one every EVERY_S: two within a few periods.
    const scheduleMs = (3 * EVERY_S + 2 * LEASE_S) * 1000;
    expect(await waitFor(() => compacted().length >= 2, 2 * scheduleMs, 250), coordinator.lines.slice(-20).join('\n')).toBe(true);
    const last = compacted().at(-1)!;
    const [oldHead, newHead] = [/oldHead\W+([0-9a-f]{40})/.exec(last)?.[1], /newHead\W+([0-9a-f]{40})/.exec(last)?.[1]];
    expect(oldHead && newHead).toBeTruthy();
    // The head's history starts at a compaction snapshot and holds the new head.
    expect(git('log', '--format=%s', '--reverse', 'main').split('\n')[0]).toMatch(/^gitfleet compact: snapshot of the fleet before/);
    expect(isAncestor(newHead!, 'main')).toBe(true);
    // No record lost: every file of the head before the rewrite is still there.
    const files = (commit: string) => new Set(git('ls-tree', '-r', '--name-only', commit).split('\n'));
    const before = files(oldHead!);
    const now = files('main');
    expect([...before].filter((f) => !now.has(f))).toEqual([]);
    expect([...before]).toEqual(expect.arrayContaining(['status/old-0.json', 'status/old-4.json', 'status/live-01.json', 'coordinator.json', 'fleet.json']));

    // Both keep working after it: the agent's heartbeat and the coordinator's lease move on.
    const read = async () => {
      const snap = await openStore({ url }).snapshot();
      return { seq: (await snap.get('status', 'live-01'))?.seq ?? 0, tick: (await snap.get('coordinator'))?.tick ?? 0 };
    };
    const at = await read();
    const moved = await waitFor(
      async () => {
        const r = await read();
        return r.seq > at.seq && r.tick > at.tick;
      },
      3 * Math.max(HEARTBEAT_S, LEASE_S) * 1000,
      500,
    );
    expect(moved, agent.lines.slice(-10).join('\n')).toBe(true);
    expect(agent.child.exitCode).toBeNull();
    expect(coordinator.child.exitCode).toBeNull();
    expect(coordinator.lines.filter((l) => /compaction-failed|tick-failed|lease-lost/.test(l))).toEqual([]);

    // The dashboard server follows the rewritten branch: its snapshot is of the current head, every record in it.
    const base = dashboard.lines.map((l) => /^dashboard: (http:\S+)/.exec(l)?.[1]).find(Boolean);
    expect(base, dashboard.lines.join('\n')).toBeTruthy();
    const served = async () => (await (await fetch(new URL('snapshot.json', base))).json()) as { commit: string; files: Record<string, unknown> };
    let page = await served();
    expect(
      await waitFor(
        async () => (page = await served()).commit === git('rev-parse', 'main') || isAncestor(page.commit, 'main'),
        5 * DASHBOARD_POLL_S * 1000,
        200,
      ),
    ).toBe(true);
    expect(isAncestor(newHead!, page.commit)).toBe(true);
    expect(Object.keys(page.files)).toEqual(expect.arrayContaining(['status/old-0.json', 'status/live-01.json', 'coordinator.json']));
    expect(dashboard.child.exitCode).toBeNull();
  }, 240_000);
});
