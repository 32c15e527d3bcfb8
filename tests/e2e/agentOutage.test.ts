import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initFleetPlan } from '../../src/settings/initFleetPlan.js';
import type { ServerStatus } from '../../src/schema/types.js';
import { type FleetRemote, startFleetRemote } from '../helpers/fleetRemote.js';
import { openStore } from '../helpers/openStore.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

const BIN = path.resolve(import.meta.dirname, '../../dist/gitfleet.js');
const PERIOD_S = 10;

describe('agents while the remote is down for several heartbeat periods (real daemon processes)', () => {
  let remote: FleetRemote;
  let work: string;
  const agents = new Map<string, { child: ChildProcess; log: string[]; exit: Promise<number | null> }>();

  const startAgent = (server: string) => {
    const log: string[] = [];
    const child = spawn(process.execPath, [BIN, 'agent', '--simulate', '--server', server], {
      env: { ...process.env, GITFLEET_REPO: remote.httpUrl, GITFLEET_CACHE_DIR: path.join(work, 'cache'), GITFLEET_DATA_DIR: path.join(work, 'data', server) },
    });
    child.stderr!.on('data', (d: Buffer) => log.push(...d.toString().trim().split('\n')));
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    agents.set(server, { child, log, exit });
  };
  const read = async () => (await (await openStore({ url: remote.httpUrl }).snapshot()).list('status')).records;
  const seqs = async () => new Map((await read()).map((s: ServerStatus) => [s.server, s]));
  const waitFor = async (check: () => Promise<boolean>, ms: number) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (await check()) return true;
      await new Promise((r) => setTimeout(r, 500));
    }
    return false;
  };
  /** The status a server's agent keeps in its outbox while offline (null when none, or half written). */
  const outboxStatus = (server: string): ServerStatus | null => {
    const root = path.join(work, 'data', server, 'outbox');
    try {
      const files = readdirSync(root, { recursive: true })
        .map(String)
        .filter((f) => f.endsWith('.json'));
      if (files.length !== 1) return null;
      const item = JSON.parse(readFileSync(path.join(root, files[0]!), 'utf8')) as { kind: string; payload: ServerStatus };
      return item.kind === 'status' ? item.payload : null;
    } catch {
      return null;
    }
  };
  const sampledAfter = (server: string, at: number) => Date.parse(outboxStatus(server)?.updatedAt ?? '0') > at;

  beforeAll(async () => {
    remote = await startFleetRemote();
    work = tempDir();
    await openStore({ url: remote.httpUrl }).transact(
      'init',
      initFleetPlan({ heartbeat: { periodSeconds: PERIOD_S, sampleSeconds: 5, skipUnchanged: false }, pushBudget: { pushesPerMinute: 600 } }),
      { createBranch: true },
    );
    for (const s of ['out-01', 'out-02', 'out-03']) startAgent(s);
    expect(await waitFor(async () => (await read()).length === 3, 30_000)).toBe(true);
  }, 60_000);
  afterAll(async () => {
    for (const a of agents.values()) a.child.kill('SIGKILL');
    await remote.close();
    cleanupTempDirs();
  });

  it('no crash, one log line per state change, the final status is not lost, recovery within one period', async () => {
    // Every agent has settled on the fleet's period once its status announces it.
    expect(
      await waitFor(async () => [...(await seqs()).values()].filter((s) => s.heartbeat?.periodSeconds === PERIOD_S).length === 3, 6 * PERIOD_S * 1000),
    ).toBe(true);
    await remote.server.stop();
    const downAt = Date.now();
    // The outage lasts until every agent has met it at least twice, a period apart (not a
    // fixed minute): the first heartbeat after downAt finds the remote gone and keeps its
    // status in the outbox; the next ones (a retry 5 s later, then one a period later)
    // must not log again. Bounds are for failure detection only.
    expect(await waitFor(async () => sampledAfter('out-03', downAt), 6 * PERIOD_S * 1000)).toBe(true);
    // One agent is stopped during the outage: it must exit cleanly, its status waits on disk.
    agents.get('out-03')!.child.kill('SIGTERM');
    expect(await agents.get('out-03')!.exit).toBe(0);
    // Its last status, sampled during the outage, waits on disk.
    const outboxRoot = path.join(work, 'data', 'out-03', 'outbox');
    const outboxFiles = readdirSync(outboxRoot, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.json'));
    expect(outboxFiles).toHaveLength(1);
    const kept = JSON.parse(readFileSync(path.join(outboxRoot, outboxFiles[0]!), 'utf8')) as { kind: string; payload: ServerStatus };
    expect(kept.kind).toBe('status');
    expect(Date.parse(kept.payload.updatedAt)).toBeGreaterThan(downAt);
    const firstOffline = new Map<string, number>();
    const metTwice = async () =>
      ['out-01', 'out-02'].every((s) => {
        const at = Date.parse(outboxStatus(s)?.updatedAt ?? '0');
        if (at > downAt && !firstOffline.has(s)) firstOffline.set(s, at);
        return firstOffline.has(s) && at >= firstOffline.get(s)! + PERIOD_S * 1000;
      });
    expect(await waitFor(metTwice, 8 * PERIOD_S * 1000)).toBe(true);
    for (const s of ['out-01', 'out-02']) expect(agents.get(s)!.child.exitCode).toBeNull();
    await remote.server.start();
    const upAt = Date.now();
    startAgent('out-03');
    // Every agent publishes again at its next heartbeat: one period on a quiet machine.
    // The bound is a few periods, not one, so that a loaded CI machine (where a 10 s
    // cycle can run late) does not fail it; that recovery took the first attempt after
    // the remote returned is asserted from the logs below (one offline, one online line).
    const recovered = await waitFor(
      async () => {
        const now = await seqs();
        return ['out-01', 'out-02', 'out-03'].every((s) => Date.parse(now.get(s)?.updatedAt ?? '0') > upAt - 5_000);
      },
      4 * PERIOD_S * 1000,
    );
    expect(recovered).toBe(true);
    for (const s of ['out-01', 'out-02']) {
      const log = agents.get(s)!.log;
      expect(log.filter((l) => l.includes('agent.offline'))).toHaveLength(1);
      expect(log.filter((l) => l.includes('agent.online'))).toHaveLength(1);
      expect(log.filter((l) => / (error|warn) /.test(l) && !l.includes('agent.offline'))).toEqual([]);
    }
    // The kept status was not lost: what out-03 published after the outage is at least as new.
    expect((await seqs()).get('out-03')!.seq).toBeGreaterThanOrEqual(kept.payload.seq);
  }, 180_000);
});
